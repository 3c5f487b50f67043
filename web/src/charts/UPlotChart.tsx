/**
 * A ChartSpec drawn by uPlot on a canvas as wide as its box (redrawn when the box resizes). Loaded lazily:
 * uPlot is in this chunk only, never in the first screen's JavaScript (docs/decisions.md, "Charts").
 */
import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { chartData, chartOptions, HEIGHT, type Palette } from "./options";
import type { ChartSpec } from "./spec";
import styles from "./Chart.module.css";

const TOKENS: Record<keyof Palette, string> = {
  primary: "--primary",
  muted: "--text-muted",
  warning: "--warning",
  success: "--success",
  text: "--text-muted",
  grid: "--border",
};

/** The design tokens as colours a canvas understands (they are `light-dark()` pairs: resolve them in place). */
function palette(box: HTMLElement): Palette {
  const probe = document.createElement("span");
  box.appendChild(probe);
  const resolved = Object.fromEntries(
    Object.entries(TOKENS).map(([name, token]) => {
      probe.style.color = `var(${token})`;
      return [name, getComputedStyle(probe).color];
    }),
  ) as Palette;
  probe.remove();
  return resolved;
}

export default function UPlotChart({ spec }: { spec: ChartSpec }) {
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const plot = new uPlot(chartOptions(spec, element.clientWidth, palette(element)), chartData(spec), element);
    const resized = new ResizeObserver(() => plot.setSize({ width: element.clientWidth, height: HEIGHT }));
    resized.observe(element);
    return () => {
      resized.disconnect();
      plot.destroy();
    };
  }, [spec]);

  return <div ref={box} className={styles.plot} />;
}
