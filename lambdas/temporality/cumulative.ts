import type { SeriesState } from './series-state.ts';

export type DeltaOutcome =
  /**
   * Usage since the previous snapshot (or since the series start, for its first point). `sameInstant` marks a
   * snapshot stamped in the same instant as the baseline with a higher value: clocks with whole-millisecond
   * resolution do that, and its record needs something besides the time to tell it from the previous one's.
   */
  | { readonly kind: 'delta'; readonly delta: number; readonly next: SeriesState; readonly sameInstant: boolean }
  /** A snapshot at or before the last one seen: a retry, a repeated export or late arrival, already counted. */
  | { readonly kind: 'seen' };

/**
 * Turns one cumulative snapshot into a delta. The series key includes the start time, so a restarted process
 * is a new series whose first point counts in full; a value that drops within a series is a reset too.
 * Snapshots are ordered by (time, value): a counter only grows, so of two snapshots with one time, the
 * larger is the later.
 */
export function cumulativeDelta(previous: SeriesState | undefined, timeUnixNano: bigint, value: number): DeltaOutcome {
  const next = { timeUnixNano, value };
  if (previous === undefined) return { kind: 'delta', delta: value, next, sameInstant: false };
  if (timeUnixNano < previous.timeUnixNano) return { kind: 'seen' };
  if (timeUnixNano === previous.timeUnixNano) {
    return value > previous.value ? { kind: 'delta', delta: value - previous.value, next, sameInstant: true } : { kind: 'seen' };
  }
  if (value < previous.value) return { kind: 'delta', delta: value, next, sameInstant: false };
  return { kind: 'delta', delta: value - previous.value, next, sameInstant: false };
}
