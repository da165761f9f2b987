/**
 * `raw/dt=YYYY-MM-DD/hour=HH/<YYYYMMDDTHHMMSSmmmZ>-<requestId>.otlp`, in UTC: keys sort by arrival time,
 * and both S3 prefixes and Athena-style partitions select a day or an hour.
 */
export const DEFAULT_ARCHIVE_PREFIX = 'raw/';

const HOUR_MS = 3_600_000;
const STAMP = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z-/;

function hourPath(prefix: string, ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${prefix}dt=${iso.slice(0, 10)}/hour=${iso.slice(11, 13)}/`;
}

/** Characters outside this set would make a key awkward as a URL or file name; the exact id stays in the metadata. */
function keySafe(requestId: string): string {
  return requestId.replace(/[^A-Za-z0-9._=-]/g, '_');
}

export function archiveKey(prefix: string, receivedAtMs: number, requestId: string): string {
  const stamp = new Date(receivedAtMs).toISOString().replace(/[-:.]/g, '');
  return `${hourPath(prefix, receivedAtMs)}${stamp}-${keySafe(requestId)}.otlp`;
}

/** The hour prefixes that can hold entries received in [fromMs, toMs), oldest first. */
export function hourPrefixes(prefix: string, fromMs: number, toMs: number): string[] {
  const prefixes: string[] = [];
  if (fromMs >= toMs) return prefixes;
  for (let hour = Math.floor(fromMs / HOUR_MS) * HOUR_MS; hour < toMs; hour += HOUR_MS) prefixes.push(hourPath(prefix, hour));
  return prefixes;
}

/** Undefined for a key that does not follow the layout. */
export function receivedAtOfKey(key: string): number | undefined {
  const match = STAMP.exec(key.slice(key.lastIndexOf('/') + 1));
  if (match === null) return undefined;
  const [year, month, day, hour, minute, second, milli] = match.slice(1).map(Number) as [number, number, number, number, number, number, number];
  return Date.UTC(year, month - 1, day, hour, minute, second, milli);
}

/** Whether a listed key belongs to [fromMs, toMs); an hour prefix can hold entries on either side of the bounds. */
export function keyInRange(key: string, fromMs: number, toMs: number): boolean {
  const receivedAt = receivedAtOfKey(key);
  return receivedAt !== undefined && receivedAt >= fromMs && receivedAt < toMs;
}
