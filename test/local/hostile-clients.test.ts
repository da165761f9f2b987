import { mkdtempSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UnsafeBindError, startLocalServer } from '../../lambdas/local/server.ts';
import type { LocalServer } from '../../lambdas/local/server.ts';
import { loadCapture } from '../support/captures.ts';
import { postCapture } from '../support/http-replay.ts';
import { exited, spawnServer } from '../support/local-server-process.ts';
import type { ServerProcess } from '../support/local-server-process.ts';

/** The default limit, which the spawned `seatmeter serve` applies. */
const LIMIT = 4 * 1024 * 1024;
const MB = 1024 * 1024;
const CHUNK = Buffer.alloc(MB, 7);

let server: Pick<LocalServer, 'url'>;
let logLines: string[];

async function start(): Promise<void> {
  logLines = [];
  server = await startLocalServer({
    host: '127.0.0.1',
    port: 0,
    dataDir: mkdtempSync(join(tmpdir(), 'seatmeter-hostile-')),
    maxBodyBytes: LIMIT,
    log: (line) => logLines.push(line),
  });
}

interface RawAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** Whether the server asked for the body with 100 Continue. */
  readonly continued: boolean;
}

/**
 * POSTs `megabytes` of zeros with `Expect: 100-continue` over a fresh socket, sending the body (from one reused
 * buffer, honouring backpressure) only once the server asks for it.
 */
function uploadAfterContinue(megabytes: number): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const headers = { 'content-type': 'application/x-protobuf', 'content-length': String(megabytes * MB), expect: '100-continue' };
    const request = httpRequest(`${server.url}/v1/metrics`, { method: 'POST', headers, agent: false });
    let answered = false;
    let continued = false;
    request.on('response', (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (text: string) => (body += text));
      response.on('end', () => {
        answered = true;
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body, continued });
      });
    });
    request.on('error', (error) => {
      if (!answered) reject(error);
    });
    let sent = 0;
    const pump = (): void => {
      while (sent < megabytes && !request.destroyed) {
        sent += 1;
        if (!request.write(CHUNK)) {
          request.once('drain', pump);
          return;
        }
      }
      if (sent >= megabytes) request.end();
    };
    request.on('continue', () => {
      continued = true;
      pump();
    });
    request.flushHeaders();
  });
}

/** What fetch (undici, as Node-based exporters use) reads: Content-Length from a Blob, chunked from a stream. */
async function fetchUpload(megabytes: number, framing: 'content-length' | 'chunked'): Promise<{ status: number; connection: string | null; body: string }> {
  let sent = 0;
  const body =
    framing === 'content-length'
      ? new Blob(Array.from({ length: megabytes }, () => CHUNK))
      : new ReadableStream<Uint8Array>({
          pull(controller) {
            if (sent++ < megabytes) controller.enqueue(CHUNK);
            else controller.close();
          },
        });
  const response = await fetch(`${server.url}/v1/metrics`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf' },
    body,
    duplex: 'half',
  } as RequestInit);
  return { status: response.status, connection: response.headers.get('connection'), body: await response.text() };
}

async function exportSucceeds(): Promise<number> {
  return (await postCapture(server.url, loadCapture('claude/claude-protobuf-delta/002-v1_metrics'))).status;
}

function get(path: string, host?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${server.url}${path}`, { headers: host === undefined ? {} : { host }, agent: false }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    request.on('error', reject);
    request.end();
  });
}

describe('oversized bodies, sent to `seatmeter serve` in its own process', () => {
  let spawned: ServerProcess;
  beforeAll(async () => {
    spawned = await spawnServer(mkdtempSync(join(tmpdir(), 'seatmeter-oversized-')));
    server = spawned;
  });
  afterAll(async () => {
    spawned.child.kill('SIGTERM');
    await exited(spawned.child);
  });

  it.each([
    [10, 'content-length'],
    [10, 'chunked'],
    [50, 'content-length'],
    [50, 'chunked'],
    [200, 'content-length'],
    [200, 'chunked'],
  ] as const)('a %i MB body with %s gets a 413 naming the limit, and the next export succeeds', async (megabytes, framing) => {
    const answer = await fetchUpload(megabytes, framing);
    expect([answer.status, answer.connection]).toEqual([413, 'close']);
    expect(answer.body).toContain(`${LIMIT}-byte limit`);
    expect(await exportSucceeds()).toBe(200);
  });

  it('answers Expect: 100-continue with a 413 before any of an oversized body is sent', async () => {
    const answer = await uploadAfterContinue(50);
    expect([answer.status, answer.continued]).toEqual([413, false]);
    expect(answer.body).toContain(`${LIMIT}-byte limit`);
    expect(await exportSucceeds()).toBe(200);
  });

  it('sends 100 Continue for a body within the limit', async () => {
    const capture = loadCapture('claude/claude-protobuf-delta/002-v1_metrics');
    const answer = await new Promise<RawAnswer>((resolve, reject) => {
      const request = httpRequest(`${server.url}/v1/metrics`, {
        method: 'POST',
        agent: false,
        headers: { 'content-type': capture.contentType, 'content-length': String(capture.body.byteLength), expect: '100-continue' },
      });
      let continued = false;
      request.on('continue', () => {
        continued = true;
        request.end(capture.body);
      });
      request.on('response', (response) => {
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: '', continued }));
      });
      request.on('error', reject);
      request.flushHeaders();
    });
    expect([answer.status, answer.continued]).toEqual([200, true]);
  });

});

describe('abandoned uploads', () => {
  let local: LocalServer;
  beforeEach(async () => {
    await start();
    local = server as LocalServer;
  });
  afterEach(async () => local.close());

  it('logs an upload the client abandons as an abort, not as a server error', async () => {
    const socket = connect(Number(new URL(server.url).port), '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    socket.write('POST /v1/metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-protobuf\r\nContent-Length: 1000\r\n\r\n0123456789');
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.destroy();
    for (let i = 0; i < 100 && logLines.length === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(logLines).toEqual(['POST /v1/metrics aborted by the client after 10 bytes of its body']);
  });
});

describe('requests that are the client’s mistake', () => {
  beforeEach(start);
  afterEach(async () => (server as LocalServer).close());

  it.each([
    ['/static/%E0%A4%A', 404],
    ['/static/%', 404],
    ['/api/report?from=0&to=9999999999999999999', 400],
    ['/api/dashboard?from=-9999999999999999999', 400],
  ])('%s answers %i, not 500', async (path, status) => {
    expect(await get(path)).toBe(status);
  });

  it('logs the path without the query string', async () => {
    await get('/api/report?user=secret.person%40example.com&from=2026-11-01');
    expect(logLines).toHaveLength(1);
    expect(logLines[0]).toMatch(/^GET \/api\/report 200 /);
    expect(logLines[0]).not.toContain('secret');
  });
});

describe('DNS rebinding without a token', () => {
  beforeEach(start);
  afterEach(async () => (server as LocalServer).close());

  it.each([
    ['localhost', 200],
    [`localhost:${4318}`, 200],
    ['app.localhost', 200],
    ['127.0.0.1', 200],
    ['[::1]:4318', 200],
    ['rebind.attacker.example', 421],
    ['rebind.attacker.example:4318', 421],
    ['127.0.0.1.attacker.example', 421],
  ])('Host %s answers %i', async (host, status) => {
    expect(await get('/healthz', host)).toBe(status);
  });

  it('refuses to listen beyond loopback without a token, unless told the network is trusted', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'seatmeter-bind-'));
    await expect(startLocalServer({ host: '0.0.0.0', port: 0, dataDir })).rejects.toThrow(UnsafeBindError);
    await expect(startLocalServer({ host: '0.0.0.0', port: 0, dataDir })).rejects.toThrow(/without a token: anyone who can reach it could read/);
    const open = await startLocalServer({ host: '0.0.0.0', port: 0, dataDir, allowUnauthenticatedNetwork: true });
    await open.close();
    const guarded = await startLocalServer({ host: '0.0.0.0', port: 0, dataDir, token: 't0ken' });
    await guarded.close();
  });
});

describe('text longer than any real client sends', () => {
  beforeEach(start);
  afterEach(async () => (server as LocalServer).close());

  /** One Claude Code token point whose model (and repo) are megabytes long, gzip-compressed as a client would. */
  function longTextExport(model: string, input: number): Uint8Array {
    const attributes = [
      { key: 'model', value: { stringValue: model } },
      { key: 'type', value: { stringValue: 'input' } },
      { key: 'user.email', value: { stringValue: 'ada@example.com' } },
    ];
    const body = {
      resourceMetrics: [
        {
          resource: {
            attributes: [
              { key: 'service.name', value: { stringValue: 'claude-code' } },
              { key: 'service.namespace', value: { stringValue: 'r'.repeat(1_000_000) } },
            ],
          },
          scopeMetrics: [
            {
              metrics: [
                {
                  name: 'claude_code.token.usage',
                  sum: { aggregationTemporality: 1, dataPoints: [{ asDouble: input, timeUnixNano: `${1795342813895 + input}000000`, attributes }] },
                },
              ],
            },
          ],
        },
      ],
    };
    return gzipSync(JSON.stringify(body));
  }

  it('stores every export with its text cut to the field limits, says so, and keeps the reports small', async () => {
    const model = `claude-opus-4-8${'x'.repeat(2 * MB)}`;
    for (let i = 1; i <= 20; i += 1) {
      const response = await fetch(`${server.url}/v1/metrics`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        body: longTextExport(model, i),
      });
      expect(response.status).toBe(200);
      const answer = (await response.json()) as { partialSuccess?: { errorMessage?: string } };
      expect(answer.partialSuccess?.errorMessage).toContain('stored with text cut to its limit: repo ×1 (limit 200 chars), model ×1 (limit 128 chars)');
    }
    for (const path of ['/api/report?from=2026-11-01&to=2026-12-31', '/api/dashboard?from=2026-11-01&to=2026-12-31']) {
      expect((await (await fetch(`${server.url}${path}`)).text()).length).toBeLessThan(20_000);
    }
    const dashboard = (await (await fetch(`${server.url}/api/dashboard?from=2026-11-01&to=2026-12-31`)).json()) as { by_model: { model: string; tokens: number }[] };
    expect(dashboard.by_model.map((row) => [row.model, row.tokens])).toEqual([[model.slice(0, 128), 210]]);
  });
});
