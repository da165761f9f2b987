import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { ExportMetricsServiceRequest, ExportMetricsServiceResponse } from '../../lambdas/otlp/proto.ts';
import { DEFAULT_TABLE } from '../../lambdas/receiver/lambda-config.ts';
import type { ReportRow } from '../../lambdas/report/report-types.ts';
import { tokenOption } from './options.ts';

const HELP = `usage: seatmeter doctor --endpoint URL [--token TOKEN]

Proves the path a CLI's telemetry takes, hop by hop: sends one tagged probe export over OTLP/HTTP (protobuf,
POST <endpoint>/v1/metrics, as Claude Code does), checks the receiver accepted all of it, then reads it back
from the far edge. The probe is stored as 1 unpriced input token of model "seatmeter-doctor-probe" under
tool "seatmeter-doctor", in its own session, so reports can leave it out.`;

export const PROBE_TOOL = 'seatmeter-doctor';
const PROBE_MODEL = 'seatmeter-doctor-probe';
const MINUTE_MS = 60_000;

interface Hop {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

function probeBody(sessionId: string, timeMs: number): Uint8Array {
  const nanos = String(BigInt(timeMs) * 1_000_000n);
  const text = (key: string, value: string) => ({ key, value: { stringValue: value } });
  return ExportMetricsServiceRequest.encode(
    ExportMetricsServiceRequest.fromObject({
      resourceMetrics: [
        {
          resource: { attributes: [text('service.name', PROBE_TOOL)] },
          scopeMetrics: [
            {
              scope: { name: 'seatmeter.doctor' },
              metrics: [
                {
                  name: 'gen_ai.client.token.usage',
                  unit: '{token}',
                  histogram: {
                    aggregationTemporality: 1,
                    dataPoints: [
                      {
                        startTimeUnixNano: nanos,
                        timeUnixNano: nanos,
                        count: 1,
                        sum: 1,
                        attributes: [text('gen_ai.token.type', 'input'), text('gen_ai.request.model', PROBE_MODEL), text('session.id', sessionId)],
                      },
                    ],
                  },
                },
              ],
            },
          ],
        },
      ],
    }),
  ).finish();
}

async function send(endpoint: string, headers: Record<string, string>, body: Uint8Array): Promise<Hop[]> {
  const started = performance.now();
  let response: Response;
  try {
    response = await fetch(`${endpoint}/v1/metrics`, { method: 'POST', headers: { ...headers, 'content-type': 'application/x-protobuf' }, body });
  } catch (error) {
    return [{ name: 'reach the receiver', ok: false, detail: `no answer: ${error instanceof Error ? error.message : String(error)}` }];
  }
  const ms = (performance.now() - started).toFixed(0);
  const reach: Hop = {
    name: 'reach the receiver',
    ok: response.status === 200,
    detail: response.status === 200 ? `200 in ${ms} ms` : `answered ${response.status}${response.status === 401 ? ' (credentials refused: check --token)' : ''}`,
  };
  if (!reach.ok) return [reach];
  const answer = ExportMetricsServiceResponse.toObject(ExportMetricsServiceResponse.decode(new Uint8Array(await response.arrayBuffer()))) as {
    partialSuccess?: { rejectedDataPoints?: string | number; errorMessage?: string };
  };
  const rejected = Number(answer.partialSuccess?.rejectedDataPoints ?? 0);
  const warning = answer.partialSuccess?.errorMessage ?? '';
  return [reach, { name: 'probe accepted', ok: rejected === 0, detail: rejected === 0 ? 'no point rejected' : `${rejected} rejected: ${warning}` }];
}

async function readBack(endpoint: string, headers: Record<string, string>, sessionId: string, timeMs: number): Promise<Hop> {
  const name = 'probe stored at the far edge';
  const params = new URLSearchParams({ from: String(timeMs - MINUTE_MS), to: String(timeMs + MINUTE_MS), by: 'tool,session' });
  const response = await fetch(`${endpoint}/api/report?${params}`, { headers }).catch(() => null);
  if (response === null || !response.ok || !(response.headers.get('content-type') ?? '').includes('application/json')) {
    return {
      name,
      ok: false,
      detail:
        'this receiver has no read-back route; look for it in the store: ' +
        `SELECT * FROM "<database>"."${DEFAULT_TABLE}" WHERE measure_name = 'usage' AND session_id = '${sessionId}' AND time > ago(1h)`,
    };
  }
  const rows = (await response.json()) as ReportRow[];
  const found = rows.find((row) => row.tool === PROBE_TOOL && row.session_id === sessionId);
  return found?.input_tokens === 1
    ? { name, ok: true, detail: `read back from the store (session ${sessionId})` }
    : { name, ok: false, detail: `not in the store (session ${sessionId}): acknowledged but not stored` };
}

export const doctorCommand = {
  summary: 'send a probe through a receiver and prove it was stored',
  async run(args: string[]): Promise<number> {
    const { values } = parseArgs({ args, options: { endpoint: { type: 'string' }, token: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
    if (values.help === true || values.endpoint === undefined) {
      process.stdout.write(`${HELP}\n`);
      return values.help === true ? 0 : 2;
    }
    const endpoint = values.endpoint.replace(/\/+$/, '');
    const token = tokenOption(values.token);
    const headers: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
    const sessionId = `doctor-${randomUUID()}`;
    const timeMs = Date.now();
    const hops = await send(endpoint, headers, probeBody(sessionId, timeMs));
    if (hops.every((hop) => hop.ok)) hops.push(await readBack(endpoint, headers, sessionId, timeMs));
    for (const hop of hops) process.stdout.write(`${hop.ok ? 'ok  ' : 'FAIL'}  ${hop.name}: ${hop.detail}\n`);
    return hops.length === 3 && hops.every((hop) => hop.ok) ? 0 : 1;
  },
};
