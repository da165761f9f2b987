import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { ExportMetricsServiceRequest, ExportMetricsServiceResponse } from '../../lambdas/otlp/proto.ts';
import { PROBE_ROUTE, PROBE_TOOL } from '../../lambdas/probe/constants.ts';
import { tokenOption } from './options.ts';

const DEFAULT_WAIT_SECONDS = 5;

const HELP = `usage: seatmeter doctor --endpoint URL [--token TOKEN] [--wait SECONDS]

Proves the path a CLI's telemetry takes, hop by hop: sends one tagged probe export over OTLP/HTTP (protobuf,
POST <endpoint>/v1/metrics, as Claude Code does), checks the receiver accepted all of it, then reads it back
from the far edge through the receiver (GET <endpoint>/seatmeter/probe/<session id>, served by both
\`seatmeter serve\` and the AWS receiver, which looks in Timestream). The read-back is retried with backoff
for up to --wait seconds (default ${DEFAULT_WAIT_SECONDS}) while the probe is not there yet or the store is
briefly unavailable. Each hop's result is printed as it completes; the exit status is 1 when any hop fails.

The probe is stored as 1 unpriced input token of model "seatmeter-doctor-probe" under tool "seatmeter-doctor",
in its own session, so reports can leave it out.`;

const PROBE_MODEL = 'seatmeter-doctor-probe';
const READ_BACK = 'probe stored at the far edge';
const FIRST_READ_DELAY_MS = 250;

interface Hop {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** The probe export: one delta histogram point of 1 input token, in its own session, as Claude Code would send it. */
export function probeBody(sessionId: string, timeMs: number): Uint8Array {
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

/** One read of the probe: a final hop, or the reason to read again. */
type ReadBack = { readonly hop: Hop } | { readonly retry: string };

async function answerJson(response: Response): Promise<Record<string, unknown> | null> {
  if (!(response.headers.get('content-type') ?? '').includes('application/json')) return null;
  const value: unknown = await response.json().catch(() => null);
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
}

function storedCounts(records: Readonly<Record<string, number>>): string {
  const stored = Object.entries(records).filter(([, count]) => count > 0);
  return stored.map(([kind, count]) => `${count} ${kind} record${count === 1 ? '' : 's'}`).join(', ');
}

async function readOnce(url: string, headers: Record<string, string>, sessionId: string): Promise<ReadBack> {
  let response: Response;
  try {
    response = await fetch(url, { headers });
  } catch (error) {
    return { retry: `no answer: ${error instanceof Error ? error.message : String(error)}` };
  }
  const answer = await answerJson(response);
  if (response.status === 200 && answer !== null) {
    const records = (answer.records ?? {}) as Readonly<Record<string, number>>;
    // One point was sent: stored once is the only right answer, and a second record would be a doubled write.
    return records.usage === 1
      ? { hop: { name: READ_BACK, ok: true, detail: `read back from the store: ${storedCounts(records)} (session ${sessionId})` } }
      : { hop: { name: READ_BACK, ok: false, detail: `the store holds ${storedCounts(records)} for one probe point (session ${sessionId})` } };
  }
  if (response.status === 404 && answer?.found === false) return { retry: `not in the store (session ${sessionId}): acknowledged but not stored` };
  if (response.status === 503) return { retry: `answered 503: ${String(answer?.error ?? 'the store is unavailable')}` };
  if (response.status === 404 || response.status === 405) {
    return { hop: { name: READ_BACK, ok: false, detail: `no read-back route at ${url} (answered ${response.status}): update the receiver` } };
  }
  return { hop: { name: READ_BACK, ok: false, detail: `answered ${response.status}${answer?.error === undefined ? '' : `: ${String(answer.error)}`}` } };
}

/**
 * Polls the read-back route until the probe shows up or `waitMs` is spent: a store may show a write only a
 * moment after acknowledging it (Timestream's reads are eventually consistent), and may be briefly unavailable.
 */
async function readBack(endpoint: string, headers: Record<string, string>, sessionId: string, waitMs: number): Promise<Hop> {
  const url = `${endpoint}${PROBE_ROUTE}${sessionId}`;
  let waited = 0;
  for (let reads = 1, delay = FIRST_READ_DELAY_MS; ; reads += 1, delay *= 2) {
    const read = await readOnce(url, headers, sessionId);
    if ('hop' in read) return read.hop;
    if (waited + delay > waitMs) {
      return { name: READ_BACK, ok: false, detail: `${read.retry}; ${reads} read${reads === 1 ? '' : 's'} over ${(waited / 1000).toFixed(1)} s` };
    }
    await sleep(delay);
    waited += delay;
  }
}

function print(hop: Hop): boolean {
  process.stdout.write(`${hop.ok ? 'ok  ' : 'FAIL'}  ${hop.name}: ${hop.detail}\n`);
  return hop.ok;
}

export const doctorCommand = {
  async run(args: string[]): Promise<number> {
    const { values } = parseArgs({
      args,
      options: { endpoint: { type: 'string' }, token: { type: 'string' }, wait: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help === true || values.endpoint === undefined) {
      process.stdout.write(`${HELP}\n`);
      return values.help === true ? 0 : 2;
    }
    const waitSeconds = Number(values.wait ?? DEFAULT_WAIT_SECONDS);
    if (!Number.isFinite(waitSeconds) || waitSeconds < 0) {
      process.stderr.write(`--wait takes a number of seconds, 0 or more; got "${values.wait ?? ''}"\n`);
      return 2;
    }
    const endpoint = values.endpoint.replace(/\/+$/, '');
    const token = tokenOption(values.token);
    const headers: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
    // Only characters the read-back accepts: it checks ids strictly, since they end up in a query.
    const sessionId = `doctor-${randomUUID()}`;
    const sent = (await send(endpoint, headers, probeBody(sessionId, Date.now()))).map(print);
    if (sent.includes(false)) return 1;
    return print(await readBack(endpoint, headers, sessionId, waitSeconds * 1000)) ? 0 : 1;
  },
};
