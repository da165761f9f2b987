/**
 * How numbers, money, people and tools read on the page. One fixed locale: the compact suffixes (k, M) are
 * English, and a shared link should read the same on every teammate's machine.
 */

const LOCALE = 'en-US';

const wholeNumber = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });
const dollars = new Intl.NumberFormat(LOCALE, { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
const cents = new Intl.NumberFormat(LOCALE, { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });
/** Below a dollar, three significant digits keep $0.0777 and $0.000906 apart instead of both reading $0.00. */
const smallUsd = new Intl.NumberFormat(LOCALE, { style: 'currency', currency: 'USD', maximumSignificantDigits: 3 });
const exactUsd = new Intl.NumberFormat(LOCALE, { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 6 });

/** @type {readonly (readonly [number, string])[]} */
const SCALES = [
  [1e3, 'k'],
  [1e6, 'M'],
  [1e9, 'B'],
  [1e12, 'T'],
];

/** 84,896 → "84.9k", 1,234,567 → "1.2M", 950 → "950". */
export function formatCompact(/** @type {number} */ value) {
  const magnitude = Math.abs(value);
  if (magnitude < 1000) return wholeNumber.format(value);
  const sign = value < 0 ? '-' : '';
  for (const [size, suffix] of SCALES) {
    const scaled = magnitude / size;
    const text = scaled.toFixed(scaled < 100 ? 1 : 0);
    // 999,960 rounds to "1000.0k": move up a scale instead, so it reads "1M".
    if (Number(text) < 1000 || suffix === 'T') return `${sign}${text.replace(/\.0$/, '')}${suffix}`;
  }
  return wholeNumber.format(value);
}

/** Exact, with thousands separators: for tables and the line under a headline number. */
export function formatInteger(/** @type {number} */ value) {
  return wholeNumber.format(value);
}

/** $0.0917, $12.34, $1,235. */
export function formatUsd(/** @type {number} */ value) {
  const magnitude = Math.abs(value);
  if (magnitude === 0) return cents.format(0);
  if (magnitude < 1) return smallUsd.format(value);
  if (magnitude < 1000) return cents.format(value);
  return dollars.format(value);
}

/** Up to a millionth of a dollar: for tooltips, where the exact sum is wanted. */
export function formatUsdExact(/** @type {number} */ value) {
  return exactUsd.format(value);
}

export const NO_IDENTITY = '(no identity)';

/** The API says null when the client sent no email (Codex without OTEL_RESOURCE_ATTRIBUTES, for one). */
export function formatUser(/** @type {string | null} */ email) {
  return email ?? NO_IDENTITY;
}

/** @type {Readonly<Record<string, string>>} */
const TOOL_NAMES = { claude_code: 'Claude Code', codex: 'Codex', gemini_cli: 'Gemini CLI' };

/** Known agents by their product name; any other GenAI-semconv app by its service.name as sent. */
export function formatTool(/** @type {string} */ tool) {
  return TOOL_NAMES[tool] ?? tool;
}

const day = new Intl.DateTimeFormat(LOCALE, { year: 'numeric', month: 'short', day: 'numeric' });
const dayAndTime = new Intl.DateTimeFormat(LOCALE, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const shortDay = new Intl.DateTimeFormat(LOCALE, { month: 'short', day: 'numeric' });
const clock = new Intl.DateTimeFormat(LOCALE, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

export function formatDay(/** @type {number} */ ms) {
  return day.format(ms);
}

export function formatDayAndTime(/** @type {number} */ ms) {
  return dayAndTime.format(ms);
}

export function formatShortDay(/** @type {number} */ ms) {
  return shortDay.format(ms);
}

export function formatClock(/** @type {number} */ ms) {
  return clock.format(ms);
}

/** A range that starts and ends on local midnights reads as days ("Nov 21, 2026 – Nov 23, 2026"), else with times. */
export function formatRange(/** @type {number} */ fromMs, /** @type {number} */ toMs) {
  if (isMidnight(fromMs) && isMidnight(toMs)) return `${formatDay(fromMs)} – ${formatDay(toMs - 1)}`;
  return `${formatDayAndTime(fromMs)} – ${formatDayAndTime(toMs)}`;
}

function isMidnight(/** @type {number} */ ms) {
  const date = new Date(ms);
  return date.getHours() === 0 && date.getMinutes() === 0 && date.getSeconds() === 0 && date.getMilliseconds() === 0;
}

/** 3,600,000 → "hour", 300,000 → "5 min". */
export function formatDuration(/** @type {number} */ ms) {
  const minutes = ms / 60_000;
  if (minutes < 60) return minutes === 1 ? 'minute' : `${formatInteger(minutes)} min`;
  const hours = minutes / 60;
  if (hours < 24) return hours === 1 ? 'hour' : `${formatInteger(hours)} h`;
  const days = hours / 24;
  return days === 1 ? 'day' : `${formatInteger(days)} days`;
}
