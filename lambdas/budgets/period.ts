export type PeriodKind = 'day' | 'week' | 'month';
export const PERIOD_KINDS: readonly PeriodKind[] = ['day', 'week', 'month'];

/** One budget period: [startMs, endMs) and its name (`2026-12-06`, `2026-W49`, `2026-12`) in the budget's zone. */
export interface Period {
  readonly key: string;
  readonly startMs: number;
  readonly endMs: number;
}

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Whether the runtime knows `timeZone` as an IANA zone name. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

function formatter(timeZone: string): Intl.DateTimeFormat {
  let found = formatters.get(timeZone);
  if (found === undefined) {
    found = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(timeZone, found);
  }
  return found;
}

/** The wall-clock date and time in `timeZone` at `ms`, as if that wall clock were UTC. */
function wallClockMs(ms: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(ms)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  return Date.UTC(parts.year ?? 0, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0) + (ms % 1000 + 1000) % 1000;
}

/** The instant the zone's wall clock shows midnight of the UTC-encoded `date`; twice refined for a DST change. */
function zonedMidnight(dateMs: number, timeZone: string): number {
  let instant = dateMs - (wallClockMs(dateMs, timeZone) - dateMs);
  instant = dateMs - (wallClockMs(instant, timeZone) - instant);
  return instant;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** The period of `kind` in `timeZone` holding the instant `atMs`. Weeks are ISO weeks, Monday to Monday. */
export function periodAt(kind: PeriodKind, timeZone: string, atMs: number): Period {
  const wall = new Date(wallClockMs(atMs, timeZone));
  const today = Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate());
  if (kind === 'day') {
    return { key: new Date(today).toISOString().slice(0, 10), startMs: zonedMidnight(today, timeZone), endMs: zonedMidnight(today + DAY_MS, timeZone) };
  }
  if (kind === 'month') {
    const first = Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), 1);
    const next = Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth() + 1, 1);
    return { key: `${wall.getUTCFullYear()}-${pad(wall.getUTCMonth() + 1)}`, startMs: zonedMidnight(first, timeZone), endMs: zonedMidnight(next, timeZone) };
  }
  const monday = today - ((wall.getUTCDay() + 6) % 7) * DAY_MS;
  // The ISO week belongs to the year of its Thursday.
  const thursday = new Date(monday + 3 * DAY_MS);
  const week = Math.floor((thursday.getTime() - Date.UTC(thursday.getUTCFullYear(), 0, 1)) / (7 * DAY_MS)) + 1;
  return { key: `${thursday.getUTCFullYear()}-W${pad(week)}`, startMs: zonedMidnight(monday, timeZone), endMs: zonedMidnight(monday + 7 * DAY_MS, timeZone) };
}
