/**
 * Dollar amounts as written: rounded to 1e-10 USD. A store sums a line's costs in an order of its own, and a
 * sum's last bits depend on that order; rounding far below a cent makes a re-run write the same bytes.
 */
export function roundUsd(usd: number): number {
  return Math.round(usd * 1e10) / 1e10;
}

/** A sum that is null when any part is unknown: a partial sum would read as the whole. */
export function sumOrNull(parts: readonly (number | null)[]): number | null {
  let total = 0;
  for (const part of parts) {
    if (part === null) return null;
    total += part;
  }
  return roundUsd(total);
}
