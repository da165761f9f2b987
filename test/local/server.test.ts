import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startLocalServer } from '../../lambdas/local/server.ts';
import type { LocalServer } from '../../lambdas/local/server.ts';
import { ExportLogsServiceResponse, ExportMetricsServiceResponse } from '../../lambdas/otlp/proto.ts';
import type { ReportRow } from '../../lambdas/report/report-types.ts';
import { loadCapture } from '../support/captures.ts';
import { claudeTokenExport } from '../support/claude-token-export.ts';
import { fixtureTotalsInReportOrder } from '../support/fixture-totals.ts';
import { postCapture, replayAllCaptures } from '../support/http-replay.ts';

const EXPECTED_REPORT = fixtureTotalsInReportOrder();

const RANGE = 'from=2026-11-01&to=2026-12-01';
let server: LocalServer;
let dataDir: string;
let logLines: string[];

async function start(token?: string): Promise<void> {
  dataDir = mkdtempSync(join(tmpdir(), 'seatmeter-server-'));
  logLines = [];
  server = await startLocalServer({ host: '127.0.0.1', port: 0, dataDir, token, maxBodyBytes: 4 * 1024 * 1024, log: (line) => logLines.push(line) });
}

async function report(headers: Record<string, string> = {}): Promise<ReportRow[]> {
  const response = await fetch(`${server.url}/api/report?${RANGE}`, { headers });
  expect(response.status).toBe(200);
  return (await response.json()) as ReportRow[];
}

function asExpectedRows(rows: readonly ReportRow[]) {
  return rows.map((r) => [
    r.user_email ?? null,
    r.tool,
    r.model,
    r.input_tokens,
    r.cache_read_tokens,
    r.cache_write_tokens,
    r.output_tokens,
    r.reasoning_tokens,
    Math.round((r.estimated_cost_usd ?? Number.NaN) * 1e9) / 1e9,
  ]);
}

function post(body: Uint8Array | string, headers: Record<string, string>, path = '/v1/metrics'): Promise<Response> {
  return fetch(`${server.url}${path}`, { method: 'POST', headers, body });
}

describe('seatmeter serve', () => {
  beforeEach(async () => start());
  afterEach(async () => server.close());

  it('stores every captured request and reports the exact README totals; a second replay changes nothing', async () => {
    expect(new Set(await replayAllCaptures(server.url))).toEqual(new Set([200]));
    const once = await report();
    expect(asExpectedRows(once)).toEqual(EXPECTED_REPORT);
    const claude = once.filter((r) => r.tool === 'claude_code');
    for (const row of claude) expect(row.estimated_cost_usd).toBeCloseTo(row.reported_cost_usd ?? Number.NaN, 12);
    expect(new Set(await replayAllCaptures(server.url))).toEqual(new Set([200]));
    expect(await report()).toEqual(once);
  });

  it('answers in the request encoding, and says what it rejected', async () => {
    const protobuf = await postCapture(server.url, loadCapture('claude/claude-protobuf-delta/002-v1_metrics'));
    expect(protobuf.headers.get('content-type')).toBe('application/x-protobuf');
    expect(ExportMetricsServiceResponse.toObject(ExportMetricsServiceResponse.decode(new Uint8Array(await protobuf.arrayBuffer())))).toEqual({});

    const bad = claudeTokenExport('delta', [{ value: -3, timeUnixNano: '1795342813895000000', model: 'm' }]);
    const partial = await post(JSON.stringify(bad), { 'content-type': 'application/json' });
    expect(partial.status).toBe(200);
    expect(await partial.json()).toEqual({
      partialSuccess: { rejectedDataPoints: '1', errorMessage: 'rejected: claude_code.token.usage: negative value ×1' },
    });
  });

  it('takes metrics from any path, and chunked bodies without Content-Length', async () => {
    const capture = loadCapture('claude/claude-protobuf-delta/002-v1_metrics');
    const chunked = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(capture.body.subarray(0, 100));
        controller.enqueue(capture.body.subarray(100));
        controller.close();
      },
    });
    const response = await fetch(`${server.url}/some/prefix/v1/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: chunked,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(200);
    expect((await report()).map((r) => [r.model, r.input_tokens])).toEqual([['claude-opus-4-8', 1234]]);
    const logs = await postCapture(server.url, { ...loadCapture('claude/claude-protobuf-delta/001-v1_logs'), path: '/' });
    expect(ExportLogsServiceResponse.toObject(ExportLogsServiceResponse.decode(new Uint8Array(await logs.arrayBuffer())))).toEqual({});
  });

  it('stores concurrent exports exactly once each, and counts a concurrently updated cumulative series once', async () => {
    const base = BigInt(Date.parse('2026-11-22T12:00:00Z')) * 1_000_000n;
    const point = (session: string, value: number, i: number) => ({
      startTimeUnixNano: String(base),
      timeUnixNano: String(base + BigInt(i + 1) * 1_000_000_000n),
      asDouble: value,
      attributes: [
        { key: 'session.id', value: { stringValue: session } },
        { key: 'model', value: { stringValue: 'claude-opus-4-8' } },
        { key: 'type', value: { stringValue: 'input' } },
      ],
    });
    const body = (temporality: number, dataPoint: ReturnType<typeof point>) =>
      JSON.stringify({
        resourceMetrics: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'claude-code' } }] },
            scopeMetrics: [{ metrics: [{ name: 'claude_code.token.usage', sum: { aggregationTemporality: temporality, isMonotonic: true, dataPoints: [dataPoint] } }] }],
          },
        ],
      });
    const requests = Array.from({ length: 40 }, (_, i) => [
      post(body(1, point(`delta-${i}`, 100 + i, i)), { 'content-type': 'application/json' }),
      post(body(2, point('cumulative', 10 * (i + 1), i)), { 'content-type': 'application/json' }),
    ]).flat();
    const statuses = await Promise.all(requests.map((request) => request.then((r) => r.status)));
    expect(new Set(statuses)).toEqual(new Set([200]));
    const rows = (await fetch(`${server.url}/api/report?${RANGE}&by=session`).then((r) => r.json())) as ReportRow[];
    const tokens = new Map(rows.map((row) => [row.session_id, row.input_tokens]));
    expect(tokens.get('cumulative')).toBe(400);
    expect(Array.from({ length: 40 }, (_, i) => tokens.get(`delta-${i}`))).toEqual(Array.from({ length: 40 }, (_, i) => 100 + i));
  });

  it.each([
    ['an unknown content type', () => post('hello', { 'content-type': 'text/plain' }), 415],
    ['a missing content type', () => post(new Uint8Array([1, 2, 3]), {}), 415],
    ['an unknown content encoding', () => post(new Uint8Array([1]), { 'content-type': 'application/x-protobuf', 'content-encoding': 'br' }), 415],
    ['malformed protobuf', () => post(new Uint8Array([0x0a, 0xff, 0xff, 0xff]), { 'content-type': 'application/x-protobuf' }), 400],
    ['malformed JSON', () => post('{"resourceMetrics":[', { 'content-type': 'application/json' }), 400],
    ['truncated gzip', () => post(gzipSync(Buffer.from('{"resourceMetrics":[]}')).subarray(0, 12), { 'content-type': 'application/json', 'content-encoding': 'gzip' }), 400],
    ['a gzip bomb', () => post(gzipSync(Buffer.alloc(64 * 1024 * 1024)), { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip' }), 413],
    ['a 50 MB body', () => post(new Uint8Array(50 * 1024 * 1024), { 'content-type': 'application/x-protobuf' }), 413],
    ['a GET of an OTLP path', () => fetch(`${server.url}/v1/metrics`), 404],
    ['a PUT', () => fetch(`${server.url}/v1/metrics`, { method: 'PUT', body: 'x' }), 405],
  ])('refuses %s with the right status and leaves the data untouched', async (_name, send, status) => {
    await replayAllCaptures(server.url);
    const before = await report();
    const response = await send();
    expect(response.status).toBe(status);
    expect(await report()).toEqual(before);
  });

  it('keeps no prompt text in the data directory or the log', async () => {
    await replayAllCaptures(server.url);
    // While it runs the records sit in the journal too, until they are moved into the database.
    const filesNow = () => readdirSync(dataDir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
    const running = filesNow();
    expect(running.some((path) => path.includes('journal'))).toBe(true);
    const contents = running.map((path) => readFileSync(path));
    await server.close();
    contents.push(...filesNow().map((path) => readFileSync(path)));
    for (const prompt of ['say hi', 'run echo hi']) {
      expect(contents.filter((bytes) => bytes.includes(prompt))).toEqual([]);
      expect(logLines.filter((line) => line.includes(prompt))).toEqual([]);
    }
    await start();
  });

  it('serves the dashboard page, its API and a health check', async () => {
    await replayAllCaptures(server.url);
    const page = await fetch(`${server.url}/`);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await fetch(`${server.url}/static/../../package.json`).then((r) => r.status)).toBe(404);
    const dashboard = (await fetch(`${server.url}/api/dashboard?${RANGE}`).then((r) => r.json())) as { overview: Record<string, number> };
    expect(dashboard.overview).toMatchObject({ total_tokens: 84_896, active_developers: 1, active_hours: 1, unpriced_tokens: 0 });
    expect(dashboard.overview.estimated_cost_usd).toBeCloseTo(0.09172135, 9);
    const filters = await fetch(`${server.url}/api/filters?${RANGE}`).then((r) => r.json());
    // No teams.json: everyone with an identity is unassigned, usage without one nobody's team.
    expect(filters).toEqual({ users: ['dev@example.com', null], tools: ['claude_code', 'codex', 'gemini_cli'], teams: ['unassigned', null] });
    expect(await fetch(`${server.url}/api/report?from=tomorrow`).then((r) => r.status)).toBe(400);
    const day = (await fetch(`${server.url}/api/day-usage?day=2026-11-22`).then((r) => r.json())) as Record<string, unknown[]>;
    expect(day.lines?.length).toBeGreaterThan(0);
    expect(await fetch(`${server.url}/api/day-usage?day=2026-02-30`).then(async (r) => [r.status, await r.json()])).toEqual([
      400,
      { error: 'day "2026-02-30" is not a day (use YYYY-MM-DD)' },
    ]);
    expect(await fetch(`${server.url}/healthz`).then((r) => r.json())).toEqual({ status: 'ok' });
  });
});

describe('seatmeter serve --token', () => {
  beforeEach(async () => start('s3cret-token'));
  afterEach(async () => server.close());

  it('refuses requests without the token, with a challenge, and stores nothing', async () => {
    const statuses = await replayAllCaptures(server.url);
    expect(new Set(statuses)).toEqual(new Set([401]));
    const refused = await fetch(`${server.url}/api/report?${RANGE}`, { headers: { authorization: 'Bearer wrong' } });
    expect([refused.status, refused.headers.get('www-authenticate')]).toEqual([401, 'Basic realm="seatmeter", Bearer realm="seatmeter"']);
    expect(await report({ authorization: 'Bearer s3cret-token' })).toEqual([]);
  });

  it('takes the token as Bearer or as the Basic password', async () => {
    const statuses = await replayAllCaptures(server.url, { authorization: 'Bearer s3cret-token' });
    expect(new Set(statuses)).toEqual(new Set([200]));
    const basic = `Basic ${Buffer.from('anyone:s3cret-token').toString('base64')}`;
    expect(asExpectedRows(await report({ authorization: basic }))).toEqual(EXPECTED_REPORT);
    expect(logLines.filter((line) => line.includes('s3cret'))).toEqual([]);
  });

  it("serves doctor's read-back behind the token: 404 JSON before the probe, 400 for an unsafe id", async () => {
    const probe = (path: string, headers: Record<string, string> = { authorization: 'Bearer s3cret-token' }) =>
      fetch(`${server.url}/seatmeter/probe/${path}`, { headers }).then(async (r) => [r.status, r.headers.get('www-authenticate'), await r.json()]);
    expect(await probe('doctor-1', {})).toEqual([401, 'Basic realm="seatmeter", Bearer realm="seatmeter"', expect.anything()]);
    expect(await probe('doctor-1')).toEqual([404, null, { session_id: 'doctor-1', found: false, records: { usage: 0, activity: 0, request: 0 } }]);
    expect(await probe("doctor-1'--")).toEqual([400, null, { error: 'a probe session id is 1 to 64 characters of A-Z, a-z, 0-9 and -' }]);
    expect(logLines.slice(-2)).toEqual([
      expect.stringMatching(/^GET \/seatmeter\/probe\/doctor-1 404 probe not found [\d.]+ms$/),
      expect.stringMatching(/^GET \/seatmeter\/probe\/doctor-1'-- 400 a probe session id is/),
    ]);
  });
});
