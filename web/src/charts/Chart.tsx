/**
 * A chart with its text alternative: a figure whose caption names it, the plot (hidden from assistive
 * technology, which reads the same figures from a table instead), a legend in words when there are several
 * series, and the table. The plot's code (uPlot) loads in its own chunk, started by `preloadCharts` as soon as a
 * screen that draws charts is loaded, so it comes beside the screen's data rather than after it.
 */
import { lazy, Suspense, useId } from "react";
import type { ChartSpec } from "./spec";
import styles from "./Chart.module.css";

const load = () => import("./UPlotChart");
const UPlotChart = lazy(load);

export function preloadCharts(): void {
  void load();
}

export function ChartFigure({
  caption,
  spec,
  cell,
}: {
  caption: string;
  spec: ChartSpec;
  /** A value as the table shows it (full money, days with a decimal). */
  cell: (value: number | null) => string;
}) {
  const id = useId();
  return (
    <figure className={styles.figure} aria-labelledby={id}>
      <figcaption id={id}>{caption}</figcaption>
      {spec.series.length > 1 && (
        <ul className={styles.legend} aria-hidden="true">
          {spec.series.map((series) => (
            <li key={series.label}>
              <span className={`${styles.swatch} ${styles[series.tone]}`} />
              {series.label}
            </li>
          ))}
        </ul>
      )}
      <div aria-hidden="true">
        <Suspense fallback={<div className={styles.plot} />}>
          <UPlotChart spec={spec} />
        </Suspense>
      </div>
      {/* In a hidden box rather than a hidden table: a table is as wide as its cells whatever its width says. */}
      <div className="visually-hidden">
        <table>
          <caption>{caption}</caption>
          <thead>
            <tr>
              <td />
              {spec.series.map((series) => (
                <th key={series.label} scope="col">
                  {series.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {spec.labels.map((label, index) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                {spec.series.map((series) => (
                  <td key={series.label}>{cell(series.values[index] ?? null)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
