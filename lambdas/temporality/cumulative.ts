import type { SeriesState } from './series-state.ts';

export type DeltaOutcome =
  /** Usage since the previous snapshot (or since the series start, for its first point). */
  | { readonly kind: 'delta'; readonly delta: number; readonly next: SeriesState }
  /** A snapshot at or before the last one seen: a retry, a repeated export or late arrival, already counted. */
  | { readonly kind: 'seen' };

/**
 * Turns one cumulative snapshot into a delta. The series key includes the start time, so a restarted process
 * is a new series whose first point counts in full; a value that drops within a series is a reset too.
 */
export function cumulativeDelta(previous: SeriesState | undefined, timeUnixNano: bigint, value: number): DeltaOutcome {
  const next = { timeUnixNano, value };
  if (previous === undefined) return { kind: 'delta', delta: value, next };
  if (timeUnixNano <= previous.timeUnixNano) return { kind: 'seen' };
  if (value < previous.value) return { kind: 'delta', delta: value, next };
  return { kind: 'delta', delta: value - previous.value, next };
}
