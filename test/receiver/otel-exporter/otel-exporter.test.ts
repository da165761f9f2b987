import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { AggregationTemporality } from '@opentelemetry/sdk-metrics';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FolderRawArchive } from '../../../lambdas/archive/folder-archive.ts';
import { ExportMetricsServiceRequest } from '../../../lambdas/otlp/proto.ts';
import { PriceBook } from '../../../lambdas/pricing/price-book.ts';
import { createReceiverHandler } from '../../../lambdas/receiver/lambda-handler.ts';
import type { CanonicalRecord } from '../../../lambdas/records/types.ts';
import { InMemoryRecordStore } from '../../../lambdas/store/memory.ts';
import { InMemorySeriesStateStore } from '../../../lambdas/temporality/series-state.ts';
import { startLambdaHttpAdapter } from '../../support/lambda-http-adapter.ts';
import type { Exchange } from '../../support/lambda-http-adapter.ts';
import { CALL, claudeLikeClient } from './claude-like-client.ts';

/**
 * "A client nobody here wrote": the real OpenTelemetry JS SDK and OTLP/HTTP protobuf exporters, set up like
 * Claude Code's, export through a local stand-in for API Gateway into the receiver Lambda's own handler.
 */

const TOKEN = 'team-token-0123456789';
const SESSION = '9f5b2137-8c83-4756-8db9-136e5d39e200';
/** `ExportResultCode` values. */
const SUCCESS = 0;
const FAILED = 1;
const T0 = Date.parse('2026-11-22T10:00:00.000Z');

/**
 * The SDK stamps points, collections and log records with `Date.now()` (whole milliseconds), so only `Date`
 * is faked: every timestamp is pinned, while timers, sockets and the exporter's own I/O stay real.
 */
function at(ms: number): void {
  vi.setSystemTime(T0 + ms);
}

const cleanups: (() => Promise<void> | void)[] = [];
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  at(0);
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  vi.useRealTimers();
});

async function receiver() {
  const store = new InMemoryRecordStore();
  const dir = mkdtempSync(join(tmpdir(), 'seatmeter-otel-exporter-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const handler = createReceiverHandler({
    credentials: { credentials: async () => [{ id: 'team', secret: TOKEN }] },
    ports: { store, state: new InMemorySeriesStateStore(), pricer: new PriceBook({ version: 'test', models: [] }) },
    archive: new FolderRawArchive({ dir }),
    probes: store,
    coverage: store,
  });
  const adapter = await startLambdaHttpAdapter((event) => handler(event));
  cleanups.push(() => adapter.close());
  return { store, adapter };
}

/** The parts of each request and answer that say how the exporter spoke to the handler. */
function wire(exchanges: readonly Exchange[]) {
  return exchanges.map(({ event, result }) => ({
    method: event.requestContext.http.method,
    rawPath: event.rawPath,
    contentType: event.headers['content-type'],
    contentEncoding: event.headers['content-encoding'],
    authorization: event.headers.authorization,
    userAgent: event.headers['user-agent'],
    isBase64Encoded: event.isBase64Encoded,
    status: result?.statusCode,
  }));
}

interface DecodedPoint {
  readonly startTimeUnixNano: string;
  readonly timeUnixNano: string;
  readonly asDouble: number;
  readonly attributes: readonly { readonly key: string; readonly value: { readonly stringValue?: string } }[];
}
interface DecodedMetric {
  readonly name: string;
  readonly sum: { readonly aggregationTemporality: number; readonly dataPoints: readonly DecodedPoint[] };
}
interface DecodedMetrics {
  readonly resourceMetrics: readonly { readonly scopeMetrics: readonly { readonly metrics: readonly DecodedMetric[] }[] }[];
}

/**
 * What the exporter put on the wire for `claude_code.token.usage{type=input}` in each metrics request:
 * temporality (1 delta, 2 cumulative), start and time relative to T0 in ms, and the value.
 */
function sentInputPoints(exchanges: readonly Exchange[]) {
  return exchanges
    .filter(({ event }) => event.rawPath === '/v1/metrics')
    .map(({ event }) => {
      const sent = Buffer.from(event.body ?? '', 'base64');
      const body = event.headers['content-encoding'] === 'gzip' ? gunzipSync(sent) : sent;
      const decoded = ExportMetricsServiceRequest.toObject(ExportMetricsServiceRequest.decode(body), { longs: String });
      const metric = (decoded as DecodedMetrics).resourceMetrics
        .flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics))
        .find((m) => m.name === 'claude_code.token.usage');
      const point = metric?.sum.dataPoints.find((p) => p.attributes.some((a) => a.key === 'type' && a.value.stringValue === 'input'));
      const ms = (nanos: string | undefined): number => Number(BigInt(nanos ?? '0') / 1_000_000n) - T0;
      return {
        temporality: metric?.sum.aggregationTemporality,
        start: ms(point?.startTimeUnixNano),
        time: ms(point?.timeUnixNano),
        value: point?.asDouble,
      };
    });
}

function ofKind<K extends CanonicalRecord['kind']>(records: readonly CanonicalRecord[], kind: K) {
  return records.filter((r): r is Extract<CanonicalRecord, { kind: K }> => r.kind === kind);
}

const CONTEXT = {
  id: expect.any(String),
  tool: 'claude_code',
  user_email: 'dev@example.com',
  user_id: null,
  organization_id: null,
  repo: 'demo-repo',
  session_id: SESSION,
  terminal: null,
  client_version: '2.1.197',
  team: null,
};

const TOKENS = {
  input_tokens: CALL.input,
  cache_read_tokens: CALL.cacheRead,
  cache_write_tokens: CALL.cacheCreation,
  output_tokens: CALL.output,
  reasoning_tokens: 0,
};

/** One model call's usage; the cost as Claude Code reported it and as the bundled price data estimates it. */
function usageRecord(timeMs: number, reportedCostUsd: unknown) {
  return {
    ...CONTEXT,
    time_ms: T0 + timeMs,
    kind: 'usage',
    model: 'claude-opus-4-8',
    ...TOKENS,
    estimated_cost_usd: expect.closeTo(CALL.costUsd, 12),
    reported_cost_usd: reportedCostUsd,
    price_version: 'genai-prices@0.1.8',
  };
}

function requestRecord(timeMs: number, requestId: string) {
  return {
    ...CONTEXT,
    time_ms: T0 + timeMs,
    kind: 'request',
    event: 'api_request',
    model: 'claude-opus-4-8',
    request_id: requestId,
    duration_ms: 69,
    status_code: null,
    error: null,
    ...TOKENS,
    estimated_cost_usd: expect.closeTo(CALL.costUsd, 12),
    reported_cost_usd: CALL.costUsd,
    price_version: 'genai-prices@0.1.8',
  };
}

function apiRequestCount(timeMs: number) {
  return { ...CONTEXT, time_ms: T0 + timeMs, kind: 'activity', metric: 'api_requests', value: 1, model: 'claude-opus-4-8', detail: null };
}

function accepted(rawPath: string, contentEncoding?: string) {
  return {
    method: 'POST',
    rawPath,
    contentType: 'application/x-protobuf',
    contentEncoding,
    authorization: `Bearer ${TOKEN}`,
    userAgent: expect.stringMatching(/^OTel-OTLP-Exporter-JavaScript\/\d+\.\d+\.\d+$/),
    isBase64Encoded: true,
    status: 200,
  };
}

describe('a real OpenTelemetry JS exporter through API Gateway into the receiver Lambda', () => {
  it('meters a delta exporter exactly: one usage record per flush interval, one request record per api_request event', async () => {
    const { store, adapter } = await receiver();
    const client = claudeLikeClient({ endpoint: adapter.url, token: TOKEN, temporality: AggregationTemporality.DELTA });

    at(1_000);
    client.recordApiCall({ sessionId: SESSION, requestId: 'req_fake_1' });
    at(2_000);
    await client.flush();
    at(3_000);
    client.recordApiCall({ sessionId: SESSION, requestId: 'req_fake_2' });
    at(4_000);
    await client.flush();
    const afterFlushes = store.all();
    at(5_000);
    await client.shutdown();

    expect(wire(adapter.exchanges)).toEqual([
      accepted('/v1/metrics'),
      accepted('/v1/logs'),
      accepted('/v1/metrics'),
      accepted('/v1/logs'),
    ]);
    expect([client.metricResults, client.logResults]).toEqual([
      [{ code: SUCCESS }, { code: SUCCESS }],
      [{ code: SUCCESS }, { code: SUCCESS }],
    ]);
    expect(sentInputPoints(adapter.exchanges)).toEqual([
      { temporality: 1, start: 1_000, time: 2_000, value: CALL.input },
      { temporality: 1, start: 2_000, time: 4_000, value: CALL.input },
    ]);
    expect(store.all()).toEqual(afterFlushes);
    expect(store.all()).toHaveLength(6);
    // A delta point is stamped with its collection time; an event with the time it was emitted.
    expect(ofKind(store.all(), 'usage')).toEqual([usageRecord(2_000, CALL.costUsd), usageRecord(4_000, CALL.costUsd)]);
    expect(ofKind(store.all(), 'request')).toEqual([requestRecord(1_000, 'req_fake_1'), requestRecord(3_000, 'req_fake_2')]);
    expect(ofKind(store.all(), 'activity')).toEqual([apiRequestCount(1_000), apiRequestCount(3_000)]);
  });

  it('turns a cumulative exporter\'s snapshots into deltas: the usage sums to what was recorded, an idle snapshot adds nothing', async () => {
    const { store, adapter } = await receiver();
    const client = claudeLikeClient({
      endpoint: adapter.url,
      token: TOKEN,
      temporality: AggregationTemporality.CUMULATIVE,
      compression: 'gzip',
    });

    at(1_000);
    client.recordApiCall({ sessionId: SESSION, requestId: 'req_fake_1' });
    at(2_000);
    await client.flush();
    at(3_000);
    client.recordApiCall({ sessionId: SESSION, requestId: 'req_fake_2' });
    at(4_000);
    await client.flush();
    // Nothing recorded since: the exporter repeats the same totals at a later time, on flush and on shutdown.
    at(5_000);
    await client.flush();
    at(6_000);
    await client.shutdown();

    expect(wire(adapter.exchanges)).toEqual([
      accepted('/v1/metrics', 'gzip'),
      accepted('/v1/logs', 'gzip'),
      accepted('/v1/metrics', 'gzip'),
      accepted('/v1/logs', 'gzip'),
      accepted('/v1/metrics', 'gzip'),
      accepted('/v1/metrics', 'gzip'),
    ]);
    // Running totals since the first measurement, the last two unchanged: the receiver must difference them.
    expect(sentInputPoints(adapter.exchanges)).toEqual([
      { temporality: 2, start: 1_000, time: 2_000, value: CALL.input },
      { temporality: 2, start: 1_000, time: 4_000, value: 2 * CALL.input },
      { temporality: 2, start: 1_000, time: 5_000, value: 2 * CALL.input },
      { temporality: 2, start: 1_000, time: 6_000, value: 2 * CALL.input },
    ]);
    expect(client.metricResults.map((r) => r.code)).toEqual([SUCCESS, SUCCESS, SUCCESS, SUCCESS]);
    expect(client.logResults.map((r) => r.code)).toEqual([SUCCESS, SUCCESS]);

    const usage = ofKind(store.all(), 'usage');
    // The second snapshot's cost is 2 × 0.012945 less the first, in floating point.
    expect(usage).toEqual([usageRecord(2_000, CALL.costUsd), usageRecord(4_000, expect.closeTo(CALL.costUsd, 12))]);
    const total = (key: 'input_tokens' | 'cache_read_tokens' | 'cache_write_tokens' | 'output_tokens') =>
      usage.reduce((sum, r) => sum + r[key], 0);
    expect([total('input_tokens'), total('cache_read_tokens'), total('cache_write_tokens'), total('output_tokens')]).toEqual([
      2 * CALL.input,
      2 * CALL.cacheRead,
      2 * CALL.cacheCreation,
      2 * CALL.output,
    ]);
    expect(usage.reduce((sum, r) => sum + (r.reported_cost_usd ?? 0), 0)).toBeCloseTo(2 * CALL.costUsd, 12);
    expect(ofKind(store.all(), 'request')).toEqual([requestRecord(1_000, 'req_fake_1'), requestRecord(3_000, 'req_fake_2')]);
    expect(ofKind(store.all(), 'activity')).toEqual([apiRequestCount(1_000), apiRequestCount(3_000)]);
    expect(store.all()).toHaveLength(6);
  });

  it('fails the export for a wrong token: the exporter reports the 401, and nothing is stored', async () => {
    const { store, adapter } = await receiver();
    const token = 'wrong-token-0123456789';
    const client = claudeLikeClient({ endpoint: adapter.url, token, temporality: AggregationTemporality.DELTA });

    at(1_000);
    client.recordApiCall({ sessionId: SESSION, requestId: 'req_fake_1' });
    at(2_000);
    await client.flush();
    at(3_000);
    await client.shutdown();

    expect(wire(adapter.exchanges).map((w) => [w.rawPath, w.authorization, w.status])).toEqual([
      ['/v1/metrics', `Bearer ${token}`, 401],
      ['/v1/logs', `Bearer ${token}`, 401],
    ]);
    expect([client.metricResults, client.logResults]).toMatchObject([
      [{ code: FAILED, error: { name: 'OTLPExporterError', code: 401 } }],
      [{ code: FAILED, error: { name: 'OTLPExporterError', code: 401 } }],
    ]);
    expect(store.all()).toEqual([]);
  });
});
