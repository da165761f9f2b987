/** Text order with nulls last, as in `seatmeter report`: the one row order every rollup file is written in. */
export function compareNullable(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}
