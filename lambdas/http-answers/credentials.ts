import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The secret in an `Authorization` header: `Bearer <token>`, or `Basic base64(user:token)` for clients and
 * browsers that only speak Basic (the user part is not checked). Null when absent or malformed.
 */
export function presentedSecret(header: string | undefined): string | null {
  if (header === undefined) return null;
  const space = header.indexOf(' ');
  if (space <= 0) return null;
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (scheme === 'bearer') return value === '' ? null : value;
  if (scheme !== 'basic') return null;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? null : decoded.slice(colon + 1);
}

/** Constant-time over equal-length digests, so neither content nor length of a token leaks through timing. */
export function secretMatches(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * The credential an `Authorization` header presents, or null. Every credential is compared, so the time
 * taken does not tell which one matched.
 */
export function matchCredential<T extends { readonly secret: string }>(header: string | undefined, credentials: readonly T[]): T | null {
  const presented = presentedSecret(header);
  if (presented === null) return null;
  let found: T | null = null;
  for (const credential of credentials) {
    if (secretMatches(presented, credential.secret) && found === null) found = credential;
  }
  return found;
}

export const WWW_AUTHENTICATE = 'Basic realm="seatmeter", Bearer realm="seatmeter"';
