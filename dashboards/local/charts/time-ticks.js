/** Where to put labelled ticks on a time axis: on round local hours or local midnights, a handful per axis. */
import { formatClock, formatShortDay } from '../format.js';

const HOUR_MS = 3_600_000;
const HOUR_STEPS = [1, 2, 3, 6, 12];
const DAY_STEPS = [1, 2, 7, 14, 30, 91, 365];

/**
 * @param {number} fromMs
 * @param {number} toMs
 * @param {number} maxTicks
 * @returns {{ ms: number; label: string }[]}
 */
export function timeTicks(fromMs, toMs, maxTicks) {
  const span = toMs - fromMs;
  const hours = HOUR_STEPS.find((step) => span / (step * HOUR_MS) <= maxTicks);
  if (hours !== undefined) return hourTicks(fromMs, toMs, hours);
  const days = DAY_STEPS.find((step) => span / (step * 24 * HOUR_MS) <= maxTicks) ?? 365;
  return dayTicks(fromMs, toMs, days);
}

/** @returns {{ ms: number; label: string }[]} */
function hourTicks(/** @type {number} */ fromMs, /** @type {number} */ toMs, /** @type {number} */ step) {
  const cursor = new Date(fromMs);
  cursor.setMinutes(0, 0, 0);
  if (cursor.getTime() < fromMs) cursor.setHours(cursor.getHours() + 1);
  while (cursor.getHours() % step !== 0) cursor.setHours(cursor.getHours() + 1);
  const ticks = [];
  for (; cursor.getTime() <= toMs; cursor.setHours(cursor.getHours() + step)) {
    const ms = cursor.getTime();
    // Midnight is where the day changes: say which day rather than "00:00".
    ticks.push({ ms, label: cursor.getHours() === 0 ? formatShortDay(ms) : formatClock(ms) });
  }
  return ticks;
}

/** @returns {{ ms: number; label: string }[]} */
function dayTicks(/** @type {number} */ fromMs, /** @type {number} */ toMs, /** @type {number} */ step) {
  const cursor = new Date(fromMs);
  cursor.setHours(0, 0, 0, 0);
  if (cursor.getTime() < fromMs) cursor.setDate(cursor.getDate() + 1);
  const ticks = [];
  for (; cursor.getTime() <= toMs; cursor.setDate(cursor.getDate() + step)) ticks.push({ ms: cursor.getTime(), label: formatShortDay(cursor.getTime()) });
  return ticks;
}
