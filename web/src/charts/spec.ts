/** What a chart shows, in plain data: the home screen describes its charts with this, the chart module draws them. */

export type Tone = "primary" | "muted" | "warning" | "success";

export interface ChartSeries {
  label: string;
  values: readonly (number | null)[];
  tone: Tone;
}

export interface ChartSpec {
  /** Bars side by side per label (one series or more), or one line. */
  kind: "bars" | "line";
  labels: readonly string[];
  series: readonly ChartSeries[];
  /** A value as the axis shows it (compact money, days). */
  axisValue: (value: number) => string;
}
