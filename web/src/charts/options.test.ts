import { describe, expect, it, vi } from "vitest";

// uPlot reads the screen's pixel ratio through matchMedia when it loads; jsdom has no matchMedia.
vi.hoisted(() => {
  window.matchMedia = ((query: string) =>
    ({ matches: false, media: query, addEventListener() {}, removeEventListener() {} }) as unknown as MediaQueryList);
});

import { chartData, chartOptions, type Palette } from "./options";
import type { ChartSpec } from "./spec";

const PALETTE: Palette = { primary: "blue", muted: "grey", warning: "orange", success: "green", text: "black", grid: "silver" };

const FORECAST: ChartSpec = {
  kind: "bars",
  labels: ["7 Dec", "14 Dec", "21 Dec"],
  series: [
    { label: "Promised", values: [100, 0, 50], tone: "primary" },
    { label: "Predicted", values: [0, 200, null], tone: "muted" },
  ],
  axisValue: (value) => `€${value / 100}`,
};

describe("chart options", () => {
  it("puts each label at its index, and each series' values beside them", () => {
    expect(chartData(FORECAST)).toEqual([
      [0, 1, 2],
      [100, 0, 50],
      [0, 200, null],
    ]);
  });

  it("names the categories on x, formats y, and starts y at zero with room above the highest value", () => {
    const options = chartOptions(FORECAST, 320, PALETTE);
    const [x, y] = options.axes!;
    const splits = x!.splits as (u: { width: number }) => number[];
    expect(splits({ width: 320 })).toEqual([0, 1, 2]);
    // Beside the 64 px y axis, room for two labels of 56 px: every second one.
    expect(splits({ width: 64 + 120 })).toEqual([0, 2]);
    expect((x!.values as (u: unknown, splits: number[]) => string[])({}, [0, 1, 2])).toEqual(["7 Dec", "14 Dec", "21 Dec"]);
    expect((y!.values as (u: unknown, splits: number[]) => string[])({}, [0, 5000])).toEqual(["€0", "€50"]);
    const range = options.scales!.y!.range as (u: unknown, min: number, max: number) => [number, number];
    expect(range({}, 0, 200)[1]).toBeCloseTo(220);
    expect(range({}, 0, 0)).toEqual([0, 1]); // all zero: still an axis, not a flat nothing
    expect(options.scales!.x!.range).toEqual([-0.5, 2.5]);
  });

  it("colours series from the palette, draws bars without a legend or cursor (the page has its own)", () => {
    const options = chartOptions(FORECAST, 320, PALETTE);
    expect(options.series.slice(1).map((series) => [series.label, series.fill])).toEqual([
      ["Promised", "blue"],
      ["Predicted", "grey"],
    ]);
    expect(options.series.slice(1).every((series) => typeof series.paths === "function")).toBe(true);
    expect(options.series.slice(1).every((series) => series.points?.show === false)).toBe(true);
    expect(options.legend!.show).toBe(false);
    expect(options.cursor!.show).toBe(false);
  });

  it("draws a line with its points for a trend", () => {
    const trend: ChartSpec = { ...FORECAST, kind: "line", series: [FORECAST.series[0]!] };
    const [, line] = chartOptions(trend, 320, PALETTE).series;
    expect(line!.stroke).toBe("blue");
    expect(line!.paths).toBeUndefined();
    expect(line!.points!.show).toBe(true);
  });
});

describe("three bars a category", () => {
  it("draws each from its own offset, side by side within 70% of the category, centred on it", async () => {
    const spec: ChartSpec = {
      ...FORECAST,
      series: [...FORECAST.series, { label: "Planned", values: [10, 20, 30], tone: "success" }],
    };
    const options = chartOptions(spec, 320, PALETTE);
    expect(options.series.slice(1).map((series) => series.fill)).toEqual(["blue", "grey", "green"]);
    // What each series' path builder is given as its bars' left edges and widths, in the categories' units.
    const uPlot = (await import("uplot")).default;
    const calls: unknown[] = [];
    const spy = vi.spyOn(uPlot.paths, "bars").mockImplementation((opts) => {
      calls.push(opts);
      return () => null;
    });
    chartOptions(spec, 320, PALETTE);
    spy.mockRestore();
    const u = { data: chartData(spec) };
    const edges = calls.map((opts) => {
      const disp = (opts as { disp: { x0: { values: (u: unknown) => number[] }; size: { values: (u: unknown) => number[] } } }).disp;
      return [disp.x0.values(u).map((x) => Number(x.toFixed(4))), disp.size.values(u)[0]!.toFixed(4)];
    });
    expect(edges).toEqual([
      [[-0.35, 0.65, 1.65], "0.2333"],
      [[-0.1167, 0.8833, 1.8833], "0.2333"],
      [[0.1167, 1.1167, 2.1167], "0.2333"],
    ]);
  });
});
