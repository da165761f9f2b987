import { PROBE_SESSION_ID } from './constants.ts';
import { ProbeSessionIdError } from './errors.ts';

/** Throws unless `sessionId` is safe to put inside a SQL string literal as it is. */
export function checkProbeSessionId(sessionId: string): void {
  if (!PROBE_SESSION_ID.test(sessionId)) throw new ProbeSessionIdError();
}
