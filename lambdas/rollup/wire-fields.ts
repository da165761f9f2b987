/**
 * Readers for JSON another system sent: each checks one field and names its path when it is not what the
 * documentation promises, so a changed API fails with "data[3].tokens.input: expected …", not a NaN later.
 */

export class WireFieldError extends Error {
  override readonly name = 'WireFieldError';
}

function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function fail(path: string, expected: string, value: unknown): never {
  throw new WireFieldError(`${path}: expected ${expected}, got ${shown(value)}`);
}

export function objectAt(value: unknown, path: string): Readonly<Record<string, unknown>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'an object', value);
  return value as Record<string, unknown>;
}

export function arrayAt(value: unknown, path: string): readonly unknown[] {
  if (!Array.isArray(value)) fail(path, 'an array', value);
  return value;
}

export function stringAt(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.trim() === '') fail(path, 'a non-empty string', value);
  return value;
}

/** A string that may be absent or null, but is no other type. */
export function optionalStringAt(value: unknown, path: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') fail(path, 'a string or nothing', value);
  return value;
}

export function booleanAt(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') fail(path, 'true or false', value);
  return value;
}

/** A whole number of things (tokens, sessions, lines): never negative, never a string. */
export function countAt(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) fail(path, 'a non-negative integer', value);
  return value;
}

/** An amount of money in minor units, which may carry fractions of a cent. */
export function amountAt(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) fail(path, 'a non-negative number', value);
  return value;
}

export function oneOfAt<T extends string>(value: unknown, path: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) fail(path, `one of ${allowed.join(', ')}`, value);
  return value as T;
}

/** The whole body as JSON, or an error that says it was not JSON (an HTML error page from a proxy, say). */
export function parseJsonBody(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new WireFieldError(`body is not JSON: ${shown(body.slice(0, 60))}`);
  }
}

/** An email as the join key, trimmed and lower-cased because identity providers and clients disagree on case; null when it is no address. */
export function joinEmail(text: string): string | null {
  const email = text.trim().toLowerCase();
  return /^[^\s@]+@[^\s@]+$/.test(email) ? email : null;
}

export function emailAt(value: unknown, path: string): string {
  return joinEmail(stringAt(value, path)) ?? fail(path, 'an email address', value);
}
