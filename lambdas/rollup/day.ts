import { RollupInputError } from './errors.ts';

/** UTC days as `YYYY-MM-DD`: the unit the rollup reads, prices, attributes and writes. */
export const DAY_MS = 86_400_000;

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** Midnight UTC of `day`; a string that is not a real calendar day is an error naming `what`. */
export function dayStartMs(day: string, what = 'day'): number {
  const ms = DAY_PATTERN.test(day) ? Date.parse(`${day}T00:00:00Z`) : Number.NaN;
  // Date.parse rolls 2026-02-30 over to March; a day must read back as itself.
  if (!Number.isFinite(ms) || dayOf(ms) !== day) throw new RollupInputError(`${what} "${day}" is not a day (use YYYY-MM-DD)`);
  return ms;
}

export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** [start, end) of the day in epoch milliseconds. */
export function dayBounds(day: string): { readonly fromMs: number; readonly toMs: number } {
  const fromMs = dayStartMs(day);
  return { fromMs, toMs: fromMs + DAY_MS };
}

/** Every day from `first` to `last`, both included, oldest first. */
export function daysFrom(first: string, last: string): string[] {
  const start = dayStartMs(first, 'first day');
  const end = dayStartMs(last, 'last day');
  if (end < start) throw new RollupInputError(`the range ends (${last}) before it starts (${first})`);
  const days: string[] = [];
  for (let ms = start; ms <= end; ms += DAY_MS) days.push(dayOf(ms));
  return days;
}

/**
 * What a scheduled run rolls up: yesterday (the first whole day), then the day before it again, since
 * telemetry and the Analytics API both arrive late (clients retry, the API lags about an hour).
 */
export function scheduledDays(nowMs: number): string[] {
  const today = Math.floor(nowMs / DAY_MS) * DAY_MS;
  return [dayOf(today - 2 * DAY_MS), dayOf(today - DAY_MS)];
}
