/**
 * Bounds on what a client can plausibly report for one point. A single model call stays far below a
 * billion tokens; anything above is a client bug or an attack and would swamp every total it touched.
 */
export const MAX_TOKENS_PER_POINT = 1e10;
export const MAX_COST_USD_PER_POINT = 1e6;
export const MAX_ACTIVITY_PER_POINT = 1e9;

/** Why a value cannot be metered, or null when it is a sane count. */
export function invalidValueReason(value: number | null, max: number): string | null {
  if (value === null) return 'missing value';
  if (Number.isNaN(value)) return 'value is not a number';
  if (!Number.isFinite(value)) return 'value is infinite';
  if (value < 0) return 'negative value';
  if (value > max) return `value above ${max}`;
  return null;
}
