/** uPlot's options for a ChartSpec: category labels on x (index positions), values from zero up on y. */
import uPlot from "uplot";
import type { ChartSpec, Tone } from "./spec";

export type Palette = Record<Tone | "text" | "grid", string>;

export const HEIGHT = 180;

const GROUP = 0.7; // of a category's width, for its bars side by side

/**
 * Each series of a group gets an equal slice of 70% of its category's width, the group centred on it: a pair on
 * either side of the label; three or more each from its own offset (in x's units, the categories' indexes).
 */
function barPaths(index: number, count: number): uPlot.Series.PathBuilder {
  if (count === 1) return uPlot.paths.bars!({ size: [0.6, 56] });
  if (count === 2) return uPlot.paths.bars!({ size: [GROUP / count, 40], align: index === 0 ? -1 : 1 });
  const width = GROUP / count;
  return uPlot.paths.bars!({
    size: [width, 40],
    disp: {
      x0: { unit: 3, values: (u) => Array.from(u.data[0], (x) => x - GROUP / 2 + index * width) },
      size: { unit: 3, values: (u) => Array.from(u.data[0], () => width) },
    },
  });
}

export function chartData(spec: ChartSpec): uPlot.AlignedData {
  return [spec.labels.map((_, index) => index), ...spec.series.map((series) => [...series.values])];
}

export function chartOptions(spec: ChartSpec, width: number, palette: Palette): uPlot.Options {
  const last = spec.labels.length - 1;
  const font = "12px system-ui, sans-serif";
  return {
    width,
    height: HEIGHT,
    legend: { show: false }, // the figure's own legend, in the page's words and focus order
    cursor: { show: false },
    select: { show: false, left: 0, top: 0, width: 0, height: 0 },
    scales: {
      x: { time: false, range: [-0.5, last + 0.5] },
      y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] },
    },
    axes: [
      {
        stroke: palette.text,
        font,
        grid: { show: false },
        ticks: { show: false },
        // Every label while they fit (about 7 px a character, 56 px at least), else every second, third...: never
        // on top of each other.
        splits: (u) => {
          const room = Math.max(56, Math.max(...spec.labels.map((label) => label.length)) * 7 + 8);
          const step = Math.ceil(spec.labels.length / Math.max(1, Math.floor((u.width - 64) / room)));
          return spec.labels.map((_, index) => index).filter((index) => index % step === 0);
        },
        values: (_u, splits) => splits.map((index) => spec.labels[index] ?? ""),
      },
      {
        stroke: palette.text,
        font,
        size: 64,
        grid: { stroke: palette.grid, width: 1 },
        ticks: { show: false },
        values: (_u, splits) => splits.map((value) => spec.axisValue(value)),
      },
    ],
    series: [
      {},
      ...spec.series.map((series, index): uPlot.Series => {
        const colour = palette[series.tone];
        return spec.kind === "bars"
          ? {
              label: series.label,
              fill: colour,
              stroke: colour,
              width: 0,
              paths: barPaths(index, spec.series.length),
              points: { show: false },
            }
          : { label: series.label, stroke: colour, width: 2, points: { show: true, size: 6, fill: colour } };
      }),
    ],
  };
}
