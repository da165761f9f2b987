/**
 * The requests the receiver benchmarks and the bundle test send, as API Gateway delivers them, with the one
 * credential the ingest secret below holds: an export of a captured body, and doctor's probe and read-back.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { PROBE_ROUTE } from '../../lambdas/probe/constants.ts';
import { apiGatewayEvent } from '../../test/support/api-gateway-events.ts';
import { loadCapture } from '../../test/support/captures.ts';
import { probeBody } from '../commands/doctor.ts';

const TOKEN = 'bench-token-0123456789';
const AUTHORIZATION = { authorization: `Bearer ${TOKEN}` };
/** The ingest secret as Secrets Manager holds it, with the one credential the benchmark's requests carry. */
export const SECRET = JSON.stringify({ credentials: [{ id: 'bench', token: TOKEN }] });

export function exportEvent(captureId: string): APIGatewayProxyEventV2 {
  return apiGatewayEvent(loadCapture(captureId), AUTHORIZATION);
}

/** Doctor's probe export for `sessionId`, stamped `timeMs`: the read-back looks only an hour back. */
export function probeExportEvent(sessionId: string, timeMs: number): APIGatewayProxyEventV2 {
  return apiGatewayEvent({ path: '/v1/metrics', body: probeBody(sessionId, timeMs), contentType: 'application/x-protobuf', contentEncoding: undefined }, AUTHORIZATION);
}

export function probeReadEvent(sessionId: string): APIGatewayProxyEventV2 {
  return apiGatewayEvent({ path: `${PROBE_ROUTE}${sessionId}`, body: new Uint8Array(), contentType: '', contentEncoding: undefined }, AUTHORIZATION, 'GET');
}
