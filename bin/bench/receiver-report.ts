/** Statistics and table formatting shared by the receiver benchmark's parts. */
import { availableParallelism, cpus, loadavg, release, totalmem } from 'node:os';

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile: an actual sample, never an interpolation between two. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? Number.NaN;
}

/** Decimal megabytes, the unit the size goal is stated in. */
export function megabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(2)} MB`;
}

export function kilobytes(bytes: number): string {
  return `${(bytes / 1_000).toFixed(1)} kB`;
}

export function ms(value: number, digits = 1): string {
  return `${value.toFixed(digits)} ms`;
}

/** One measured number: what it is, its value, its goal and whether it is met (undefined: no goal). */
export interface Row {
  readonly measure: string;
  readonly value: string;
  readonly goal: string;
  readonly met?: boolean;
}

export const verdict = (met: boolean | undefined): string => (met === undefined ? '' : met ? 'ok' : 'MISSED');

/**
 * A plain-text table: column widths follow the longest cell, so it reads in a terminal and in CI logs.
 * Columns listed in `right` are right-aligned (numbers).
 */
export function grid(headers: readonly string[], rows: readonly (readonly string[])[], right: readonly number[] = []): string {
  const all = [headers, ...rows];
  const widths = headers.map((_, column) => Math.max(...all.map((cells) => (cells[column] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    widths
      .map((width, column) => (right.includes(column) ? (cells[column] ?? '').padStart(width) : (cells[column] ?? '').padEnd(width)))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

export function table(rows: readonly Row[]): string {
  return grid(['measure', 'value', 'goal', ''], rows.map((row) => [row.measure, row.value, row.goal, verdict(row.met)]), [1]);
}

/** Numbers depend on the machine, and on what else it was doing (the load average): say both. */
export function machine(esbuildVersion: string): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  const ram = `${(totalmem() / 2 ** 30).toFixed(1)} GiB`;
  const load = loadavg()[0] ?? Number.NaN;
  return `node ${process.version}, ${availableParallelism()} CPUs (${cpu}), ${ram} RAM, Linux ${release()}, esbuild ${esbuildVersion}; load average ${load.toFixed(2)}`;
}
