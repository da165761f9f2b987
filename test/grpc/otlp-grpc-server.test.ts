import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { status } from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { RETRY_INFO_TYPE_URL, STATUS_DETAILS_TRAILER } from '../../lambdas/grpc/export-status.ts';
import { startOtlpGrpcServer } from '../../lambdas/grpc/otlp-grpc-server.ts';
import type { OtlpGrpcServer } from '../../lambdas/grpc/otlp-grpc-server.ts';
import { errorAnswer } from '../../lambdas/http-answers/export-handler.ts';
import type { ExportAnswer, ExportRequest } from '../../lambdas/http-answers/export-handler.ts';
import { startLocalServer } from '../../lambdas/local/server.ts';
import type { LocalServer } from '../../lambdas/local/server.ts';
import { ExportLogsServiceResponse, RetryInfo, Status } from '../../lambdas/otlp/proto.ts';
import type { ReportRow } from '../../lambdas/report/report-types.ts';
import { CAPTURES, loadCapture } from '../support/captures.ts';
import { postCapture } from '../support/http-replay.ts';
import { captureAsProtobuf, grpcExport } from '../support/otlp-grpc-client.ts';

const GEMINI = CAPTURES.filter(([id]) => id.startsWith('gemini/'));
const RANGE = 'from=2026-11-01&to=2026-12-01';
const TOKEN = 'local-token-0123456789';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function local(options: { token?: string; maxBodyBytes?: number } = {}): Promise<LocalServer & { grpc: string; logLines: string[] }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'seatmeter-grpc-'));
  const logLines: string[] = [];
  const server = await startLocalServer({ host: '127.0.0.1', port: 0, grpcPort: 0, dataDir, ...options, log: (line) => logLines.push(line) });
  cleanups.push(async () => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  if (server.grpcAddress === undefined) throw new Error('no gRPC listener');
  return Object.assign(server, { grpc: server.grpcAddress, logLines });
}

async function report(server: LocalServer, token?: string): Promise<ReportRow[]> {
  const response = await fetch(`${server.url}/api/report?${RANGE}`, token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  return (await response.json()) as ReportRow[];
}

/** A gRPC server whose export path answers with what a test hands it. */
async function grpcAnswering(answer: (request: ExportRequest) => Promise<ExportAnswer>, maxMessageBytes = 1024 * 1024): Promise<OtlpGrpcServer> {
  const server = await startOtlpGrpcServer({ host: '127.0.0.1', port: 0, token: undefined, maxMessageBytes, answer, log: () => undefined });
  cleanups.push(() => server.close());
  return server;
}

describe('OTLP/gRPC on the local server', () => {
  it('stores Gemini CLI\'s exports sent over gRPC (gzip) with the same totals as the same exports over HTTP', async () => {
    const overHttp = await local();
    const overGrpc = await local();
    for (const [id, signal] of GEMINI) {
      const capture = loadCapture(id);
      expect((await postCapture(overHttp.url, capture)).status).toBe(200);
      const outcome = await grpcExport(overGrpc.grpc, signal, captureAsProtobuf(capture, signal), { gzip: true });
      expect([id, outcome.code, outcome.details]).toEqual([id, status.OK, '']);
    }
    const rows = await report(overGrpc);
    expect(rows.map((row) => [row.model, row.input_tokens, row.cache_read_tokens, row.output_tokens, row.reasoning_tokens])).toEqual([
      ['gemini-2.5-pro', 321, 4000, 86, 21],
      ['gemini-3.5-flash-lite', 222, 0, 18, 0],
      ['gemini-3.8-flash', 642, 8000, 172, 42],
    ]);
    expect(rows).toEqual(await report(overHttp));
    expect(overGrpc.logLines.filter((line) => line.startsWith('gRPC '))).toHaveLength(GEMINI.length);
  });

  it('counts a repeated gRPC export once and answers it OK, as a repeated HTTP export', async () => {
    const server = await local();
    const [id, signal] = GEMINI.find(([, s]) => s === 'logs') ?? [];
    if (id === undefined || signal === undefined) throw new Error('no Gemini logs capture');
    const body = captureAsProtobuf(loadCapture(id), signal);
    const first = await grpcExport(server.grpc, signal, body);
    const again = await grpcExport(server.grpc, signal, body);
    expect([first.code, again.code]).toEqual([status.OK, status.OK]);
    expect(ExportLogsServiceResponse.toObject(ExportLogsServiceResponse.decode(again.response ?? new Uint8Array()))).toEqual({});
    expect(server.logLines.some((line) => /gRPC LogsService\/Export OK .*duplicates=[1-9]/.test(line))).toBe(true);
  });

  it('asks for the server\'s token in the authorization metadata: UNAUTHENTICATED without it, stored with it', async () => {
    const server = await local({ token: TOKEN });
    const [id, signal] = GEMINI[2] ?? [];
    if (id === undefined || signal === undefined) throw new Error('no Gemini capture');
    const body = captureAsProtobuf(loadCapture(id), signal);
    expect((await grpcExport(server.grpc, signal, body)).code).toBe(status.UNAUTHENTICATED);
    expect((await grpcExport(server.grpc, signal, body, { token: 'wrong' })).code).toBe(status.UNAUTHENTICATED);
    expect(await report(server, TOKEN)).toEqual([]);
    expect((await grpcExport(server.grpc, signal, body, { token: TOKEN })).code).toBe(status.OK);
    expect((await report(server, TOKEN)).length).toBeGreaterThan(0);
  });

  it('refuses garbage as INVALID_ARGUMENT, final, and stores nothing', async () => {
    const server = await local();
    const outcome = await grpcExport(server.grpc, 'metrics', new Uint8Array([0xff, 0xff, 0xff, 0x0f, 0x02]));
    expect(outcome.code).toBe(status.INVALID_ARGUMENT);
    expect(outcome.trailers?.get(STATUS_DETAILS_TRAILER)).toEqual([]);
    expect(await report(server)).toEqual([]);
  });

  it('refuses a message over the body limit as RESOURCE_EXHAUSTED without retry info, even when it came gzipped', async () => {
    const server = await local({ maxBodyBytes: 1024 });
    const [id, signal] = GEMINI.find(([, s]) => s === 'logs') ?? [];
    if (id === undefined || signal === undefined) throw new Error('no Gemini logs capture');
    const body = captureAsProtobuf(loadCapture(id), signal);
    expect(body.byteLength).toBeGreaterThan(1024);
    for (const gzip of [false, true]) {
      const outcome = await grpcExport(server.grpc, signal, body, { gzip });
      expect(outcome.code).toBe(status.RESOURCE_EXHAUSTED);
      expect(outcome.trailers?.get(STATUS_DETAILS_TRAILER) ?? []).toEqual([]);
    }
    expect(await report(server)).toEqual([]);
  });

  it('answers storage failures UNAVAILABLE with a RetryInfo of the HTTP Retry-After', async () => {
    const server = await grpcAnswering(async () => errorAnswer('protobuf', 503, 'storage unavailable, nothing was stored', { 'retry-after': '5' }));
    const outcome = await grpcExport(server.address, 'logs', new Uint8Array());
    expect([outcome.code, outcome.details]).toEqual([status.UNAVAILABLE, 'storage unavailable, nothing was stored']);
    const [trailer] = outcome.trailers?.get(STATUS_DETAILS_TRAILER) ?? [];
    if (!(trailer instanceof Buffer)) throw new Error('no status details trailer');
    const detail = Status.toObject(Status.decode(trailer)) as { code: number; details: { type_url: string; value: Uint8Array }[] };
    expect([detail.code, detail.details.map((d) => d.type_url)]).toEqual([status.UNAVAILABLE, [RETRY_INFO_TYPE_URL]]);
    expect(RetryInfo.toObject(RetryInfo.decode(detail.details[0]?.value ?? new Uint8Array()), { longs: Number })).toEqual({ retryDelay: { seconds: 5 } });
  });

  it('hands each service\'s requests to the export path under its signal\'s HTTP path, as undecoded protobuf', async () => {
    const seen: ExportRequest[] = [];
    const server = await grpcAnswering(async (request) => {
      seen.push(request);
      return errorAnswer('protobuf', 400, 'refused for the test');
    });
    for (const signal of ['logs', 'metrics', 'traces'] as const) {
      expect((await grpcExport(server.address, signal, new Uint8Array([1, 2, 3]), { gzip: true })).code).toBe(status.INVALID_ARGUMENT);
    }
    expect(seen.map((r) => [r.path, r.contentType, r.contentEncoding, [...r.body]])).toEqual([
      ['/v1/logs', 'application/x-protobuf', undefined, [1, 2, 3]],
      ['/v1/metrics', 'application/x-protobuf', undefined, [1, 2, 3]],
      ['/v1/traces', 'application/x-protobuf', undefined, [1, 2, 3]],
    ]);
  });

  it('answers INTERNAL, and says nothing more, when the export path itself throws', async () => {
    const server = await grpcAnswering(async () => {
      throw new Error('database file vanished');
    });
    const outcome = await grpcExport(server.address, 'logs', new Uint8Array());
    expect([outcome.code, outcome.details]).toEqual([status.INTERNAL, 'internal error']);
  });
});
