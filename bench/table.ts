// Statistics and markdown tables for the benchmark report. Every measured cell shows the
// median of the runs and their spread, so one noisy run on a shared machine is visible.

export function sorted(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/** Linear interpolation between closest ranks; `q` in [0, 1]. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const s = sorted(values);
  const pos = (s.length - 1) * q;
  const lower = Math.floor(pos);
  const upper = Math.ceil(pos);
  return s[lower] + (s[upper] - s[lower]) * (pos - lower);
}

export const median = (values: readonly number[]): number => quantile(values, 0.5);
export const min = (values: readonly number[]): number => Math.min(...values);
export const max = (values: readonly number[]): number => Math.max(...values);

/** A number with as many decimals as its size deserves: 12 345, 123, 12.3, 1.23, 0.123. */
export function fmt(value: number, decimals?: number): string {
  if (!Number.isFinite(value)) return "–";
  const digits = decimals ?? (Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2);
  return value.toLocaleString("en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

/** `median (min–max)`, or just the value when every run agreed. */
export function spread(
  values: readonly number[],
  format: (value: number) => string = (v) => fmt(v),
): string {
  if (values.length === 0) return "–";
  const [lo, mid, hi] = [min(values), median(values), max(values)].map(format);
  return lo === hi ? mid : `${mid} (${lo}–${hi})`;
}

export const ms = (value: number): string => `${fmt(value)} ms`;
export const mib = (bytes: number): string => `${fmt(bytes / 1024 / 1024, 1)} MiB`;
export const ratio = (value: number): string => `${fmt(value, 2)}×`;

export type Align = "left" | "right";

/** A markdown table; columns after the first are right-aligned unless `align` says otherwise. */
export function markdownTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly Align[] = headers.map((_, i) => (i === 0 ? "left" : "right")),
): string {
  const cells = [headers, ...rows].map((row) => row.map((cell) => cell.replaceAll("|", "\\|")));
  const widths = headers.map((_, c) => Math.max(3, ...cells.map((row) => row[c]?.length ?? 0)));
  const line = (row: readonly string[]) =>
    `| ${row
      .map((cell, c) => (align[c] === "right" ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
      .join(" | ")} |`;
  const rule = `| ${widths
    .map((w, c) => (align[c] === "right" ? `${"-".repeat(w - 1)}:` : "-".repeat(w)))
    .join(" | ")} |`;
  return [line(cells[0]), rule, ...cells.slice(1).map(line)].join("\n");
}
