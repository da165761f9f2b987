import { TOKEN_FIELDS } from '../../lambdas/records/types.ts';
import { GROUP_KEYS } from '../../lambdas/report/report-types.ts';
import type { GroupKey, ReportRow, ReportTotals } from '../../lambdas/report/report-types.ts';

const TOTAL_FIELDS = [
  ...TOKEN_FIELDS,
  'estimated_cost_usd',
  'reported_cost_usd',
  'sessions',
  'unpriced_tokens',
] as const satisfies readonly (keyof ReportTotals)[];

const HEADINGS: Readonly<Record<(typeof TOTAL_FIELDS)[number], string>> = {
  input_tokens: 'input',
  cache_read_tokens: 'cache read',
  cache_write_tokens: 'cache write',
  output_tokens: 'output',
  reasoning_tokens: 'reasoning',
  estimated_cost_usd: 'est. cost',
  reported_cost_usd: 'reported',
  sessions: 'sessions',
  unpriced_tokens: 'unpriced',
};

/** `1 call`, `1,234 calls`: a count and its noun, for the commands' summaries. */
export const plural = (count: number, word: string): string => `${count.toLocaleString('en-US')} ${word}${count === 1 ? '' : 's'}`;

export function humanTokens(value: number): string {
  if (value < 10_000) return value.toLocaleString('en-US');
  if (value < 1_000_000) return `${(value / 1000).toFixed(1)}k`;
  if (value < 1_000_000_000) return `${(value / 1_000_000).toFixed(1)}M`;
  return `${(value / 1_000_000_000).toFixed(2)}B`;
}

export function humanUsd(value: number | null): string {
  if (value === null) return '—';
  if (value === 0) return '$0';
  // Below a dollar, three significant digits: one developer's day is often a few cents.
  if (value < 1) return `$${Number(value.toPrecision(3))}`;
  return `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

export function toJson(rows: readonly ReportRow[]): string {
  return `${JSON.stringify(rows, null, 2)}\n`;
}

function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(rows: readonly ReportRow[], by: readonly GroupKey[]): string {
  const columns = [...by.map((key) => GROUP_KEYS[key]), ...TOTAL_FIELDS];
  const lines = [columns.join(','), ...rows.map((row) => columns.map((c) => csvCell((row as unknown as Record<string, unknown>)[c])).join(','))];
  return `${lines.join('\n')}\n`;
}

/** Sums a column; a cost is null in the total when it is null anywhere (unpriced, or not reported). */
function total(rows: readonly ReportRow[], field: (typeof TOTAL_FIELDS)[number]): number | null {
  let sum = 0;
  for (const row of rows) {
    const value = row[field];
    if (value === null) return null;
    sum += value;
  }
  return sum;
}

/** For people: aligned columns, human numbers, a totals row. */
export function toTable(rows: readonly ReportRow[], by: readonly GroupKey[]): string {
  if (rows.length === 0) return 'no usage in this range\n';
  const keyColumns = by.map((key) => GROUP_KEYS[key]);
  const cell = (field: (typeof TOTAL_FIELDS)[number], value: number | null): string =>
    field === 'estimated_cost_usd' || field === 'reported_cost_usd' ? humanUsd(value) : value === null ? '—' : humanTokens(value);
  const body = rows.map((row) => [
    ...keyColumns.map((c) => (row as unknown as Record<string, unknown>)[c] ?? '(none)').map(String),
    ...TOTAL_FIELDS.map((f) => cell(f, row[f])),
  ]);
  const totals = [...keyColumns.map((_, i) => (i === 0 ? 'total' : '')), ...TOTAL_FIELDS.map((f) => (f === 'sessions' ? '' : cell(f, total(rows, f))))];
  return alignedColumns([...by, ...TOTAL_FIELDS.map((f) => HEADINGS[f])], body, totals, keyColumns.length);
}

/** Columns padded to their widest cell under a ruled header: the first `textColumns` left-aligned, numbers right. */
export function alignedColumns(header: readonly string[], body: readonly (readonly string[])[], footer: readonly string[] | null, textColumns: number): string {
  const table = footer === null ? [header, ...body] : [header, ...body, footer];
  const widths = header.map((_, i) => Math.max(...table.map((line) => (line[i] ?? '').length)));
  const render = (line: readonly string[]) =>
    line.map((text, i) => (i < textColumns ? text.padEnd(widths[i] ?? 0) : text.padStart(widths[i] ?? 0))).join('  ').trimEnd();
  const rule = widths.map((w) => '─'.repeat(w)).join('  ');
  const lines = [render(header), rule, ...body.map(render)];
  return `${(footer === null ? lines : [...lines, rule, render(footer)]).join('\n')}\n`;
}
