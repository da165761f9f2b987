/**
 * The fixture README's table "What seatmeter must derive" (../shared/fixtures/README.md): per (user, tool,
 * model) input, cache read, cache write, output, reasoning tokens and estimated cost in USD, after replaying
 * every captured request once into an empty store.
 */
export const FIXTURE_TOTALS = [
  ['dev@example.com', 'claude_code', 'claude-opus-4-8', 7404, 42000, 1800, 336, 0, 0.07767],
  ['dev@example.com', 'claude_code', 'claude-haiku-4-5', 321, 4000, 100, 12, 0, 0.000906],
  [null, 'codex', 'gpt-5', 2712, 12288, 0, 462, 198, 0.009546],
  ['dev@example.com', 'gemini_cli', 'gemini-3.8-flash', 642, 8000, 0, 172, 42, 0.0017265],
  ['dev@example.com', 'gemini_cli', 'gemini-3.5-flash-lite', 222, 0, 0, 18, 0, 0.0001116],
  ['dev@example.com', 'gemini_cli', 'gemini-2.5-pro', 321, 4000, 0, 86, 21, 0.00176125],
] as const;

export type FixtureRow = (typeof FIXTURE_TOTALS)[number];

/** The rows in `seatmeter report` order: user (no identity last), then tool, then model. */
export function fixtureTotalsInReportOrder(): FixtureRow[] {
  const key = (row: FixtureRow) => `${row[0] === null ? '\uffff' : row[0]}|${row[1]}|${row[2]}`;
  return [...FIXTURE_TOTALS].sort((a, b) => (key(a) < key(b) ? -1 : 1));
}
