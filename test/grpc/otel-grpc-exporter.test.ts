import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AggregationTemporality } from '@opentelemetry/sdk-metrics';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startLocalServer } from '../../lambdas/local/server.ts';
import type { LocalServer } from '../../lambdas/local/server.ts';
import { clientConfig, clientConfigRequest } from '../../lambdas/onboarding/client-config.ts';
import type { ReportRow } from '../../lambdas/report/report-types.ts';
import { CALL, claudeLikeClient } from '../receiver/otel-exporter/claude-like-client.ts';

/**
 * The real OpenTelemetry JS SDK with its OTLP/gRPC exporters (the ones Gemini CLI builds for its default
 * `grpc` protocol) against the local server's 4317 listener, beside the same client over OTLP/HTTP.
 */

const TOKEN = 'local-token-0123456789';
const T0 = Date.parse('2026-11-22T10:00:00.000Z');
const SUCCESS = 0;
const FAILED = 1;

const cleanups: (() => Promise<void>)[] = [];
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(T0);
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  vi.useRealTimers();
});

async function local(): Promise<LocalServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'seatmeter-otel-grpc-'));
  const server = await startLocalServer({ host: '127.0.0.1', port: 0, grpcPort: 0, dataDir, token: TOKEN });
  cleanups.push(async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return server;
}

async function report(server: LocalServer): Promise<ReportRow[]> {
  const response = await fetch(`${server.url}/api/report?from=2026-11-01&to=2026-12-01`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return (await response.json()) as ReportRow[];
}

/** Three calls in two sessions over two exports, as a client working for a while would send them. */
async function work(endpoint: string, protocol: 'http/protobuf' | 'grpc', temporality: AggregationTemporality, token = TOKEN) {
  const client = claudeLikeClient({ endpoint, token, temporality, protocol, compression: 'gzip' });
  cleanups.push(() => client.shutdown());
  client.recordApiCall({ sessionId: 'session-a', requestId: 'req_1' });
  client.recordApiCall({ sessionId: 'session-b', requestId: 'req_2' });
  vi.setSystemTime(T0 + 60_000);
  await client.flush();
  client.recordApiCall({ sessionId: 'session-a', requestId: 'req_3' });
  vi.setSystemTime(T0 + 120_000);
  await client.flush();
  return client;
}

describe('the OpenTelemetry JS OTLP/gRPC exporters against seatmeter serve', () => {
  it.each([
    ['delta', AggregationTemporality.DELTA],
    ['cumulative', AggregationTemporality.CUMULATIVE],
  ])('land with the same totals as the same client over OTLP/HTTP (%s, gzip)', async (_name, temporality) => {
    const overGrpc = await local();
    const overHttp = await local();
    const grpcClient = await work(`http://${overGrpc.grpcAddress ?? ''}`, 'grpc', temporality);
    await work(overHttp.url, 'http/protobuf', temporality);
    expect([...grpcClient.metricResults, ...grpcClient.logResults].map((r) => r.code)).toEqual([SUCCESS, SUCCESS, SUCCESS, SUCCESS]);
    const rows = await report(overGrpc);
    expect(rows.map((r) => [r.user_email, r.tool, r.model, r.input_tokens, r.cache_read_tokens, r.cache_write_tokens, r.output_tokens])).toEqual([
      ['dev@example.com', 'claude_code', 'claude-opus-4-8', 3 * CALL.input, 3 * CALL.cacheRead, 3 * CALL.cacheCreation, 3 * CALL.output],
    ]);
    expect(rows).toEqual(await report(overHttp));
  });

  it('reaches the server at the otlpEndpoint `client-config gemini --protocol grpc` writes', async () => {
    const server = await local();
    const grpcPort = server.grpcAddress?.split(':').pop();
    const request = clientConfigRequest({ client: 'gemini', endpoint: server.url, token: TOKEN, user: undefined, managed: false, protocol: 'grpc', grpcPort });
    const settings = JSON.parse(clientConfig(request).sections[0]?.content ?? '') as { telemetry: { otlpEndpoint: string; otlpProtocol: string } };
    expect(settings.telemetry.otlpProtocol).toBe('grpc');
    const client = await work(settings.telemetry.otlpEndpoint, 'grpc', AggregationTemporality.DELTA);
    expect([...client.metricResults, ...client.logResults].map((r) => r.code)).toEqual([SUCCESS, SUCCESS, SUCCESS, SUCCESS]);
    expect((await report(server)).map((r) => r.input_tokens)).toEqual([3 * CALL.input]);
  });

  it('fails the export, without retrying into a store, when the token is wrong', async () => {
    const server = await local();
    const client = await work(`http://${server.grpcAddress ?? ''}`, 'grpc', AggregationTemporality.DELTA, 'wrong-token');
    expect([...client.metricResults, ...client.logResults].map((r) => r.code)).toEqual([FAILED, FAILED, FAILED, FAILED]);
    expect(await report(server)).toEqual([]);
  });
});
