import { hash } from 'node:crypto';

/**
 * A record id from the parts that make it unique. Hashing keeps ids short and uniform for every store;
 * 128 bits of SHA-256 make an accidental collision between two different points negligible. The one-shot
 * `hash` avoids a Hash object per record on the ingest hot path.
 */
export function recordId(...parts: readonly string[]): string {
  return hash('sha256', parts.join('\u0000')).slice(0, 32);
}

export function nanosToMillis(nanos: bigint): number {
  return Number(nanos / 1_000_000n);
}
