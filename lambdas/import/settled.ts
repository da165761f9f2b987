import type { SessionCall } from './types.ts';

/**
 * How long after its last call a session is left alone. A client exports on an interval (a minute by default)
 * or when it exits, so telemetry of a session still running, or just ended, may not have arrived yet: importing
 * it now would count it, and the telemetry arriving after would count it again.
 */
export const SETTLE_MS = 60 * 60_000;

/** The calls of sessions whose last call is at least SETTLE_MS old, and the calls held back. */
export function settledCalls<T extends Pick<SessionCall, 'tool' | 'session_id' | 'time_ms'>>(calls: readonly T[], nowMs: number): { readonly settled: T[]; readonly recent: T[] } {
  const last = new Map<string, number>();
  for (const call of calls) {
    const key = `${call.tool}\u0001${call.session_id}`;
    last.set(key, Math.max(last.get(key) ?? Number.NEGATIVE_INFINITY, call.time_ms));
  }
  const settled: T[] = [];
  const recent: T[] = [];
  for (const call of calls) ((last.get(`${call.tool}\u0001${call.session_id}`) ?? 0) <= nowMs - SETTLE_MS ? settled : recent).push(call);
  return { settled, recent };
}
