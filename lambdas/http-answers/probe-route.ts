import { PROBE_ROUTE } from '../probe/constants.ts';
import { ProbeSessionIdError } from '../probe/errors.ts';
import { probeRecordTotal } from '../probe/records.ts';
import { checkProbeSessionId } from '../probe/session-id.ts';
import type { ProbeReader } from '../probe/types.ts';
import { jsonAnswer } from './json-answer.ts';
import { storeErrorAnswer } from './store-error-answer.ts';
import type { ExportAnswer } from './export-handler.ts';

export type ProbeAnswer = Pick<ExportAnswer, 'status' | 'headers' | 'body' | 'summary'>;

/**
 * The session id a read-back path names, unchecked: `<any prefix>/seatmeter/probe/<id>` gives `<id>`, so the
 * route works behind whatever prefix the OTLP endpoint has. Null for any other path.
 */
export function probeSessionInPath(path: string): string | null {
  const at = path.lastIndexOf(PROBE_ROUTE);
  if (at === -1) return null;
  const sessionId = path.slice(at + PROBE_ROUTE.length);
  return sessionId.includes('/') ? null : sessionId;
}

/**
 * The read-back doctor polls after its probe export, the same on the Lambda and the local server: 200 with
 * the session's records per kind once any is stored, 404 (JSON, `found: false`) while none is, 503 with
 * Retry-After while the store cannot answer. The id is checked before it reaches any query.
 */
export async function answerProbe(sessionId: string, reader: ProbeReader): Promise<ProbeAnswer> {
  try {
    checkProbeSessionId(sessionId);
    const records = await reader.probeRecords(sessionId);
    const found = probeRecordTotal(records) > 0;
    return jsonAnswer(found ? 200 : 404, { session_id: sessionId, found, records }, `probe ${found ? 'found' : 'not found'}`);
  } catch (error) {
    if (error instanceof ProbeSessionIdError) return jsonAnswer(400, { error: error.message }, error.message);
    const answer = storeErrorAnswer(error);
    if (answer === null) throw error;
    return answer;
  }
}
