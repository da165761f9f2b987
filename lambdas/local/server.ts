import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultPriceBook } from '../pricing/default-price-book.ts';
import { DEFAULT_MAX_BODY_BYTES } from '../otlp/decode.ts';
import { WWW_AUTHENTICATE, matchCredential } from '../http-answers/credentials.ts';
import { answerExport, errorAnswer } from '../http-answers/export-handler.ts';
import type { ExportAnswer } from '../http-answers/export-handler.ts';
import { answerProbe, probeSessionInPath } from '../http-answers/probe-route.ts';
import { LocalDatabase } from '../store/duckdb/database.ts';
import { DuckDbProbeReader } from '../store/duckdb/probe-reader.ts';
import { DuckDbRecordStore } from '../store/duckdb/record-store.ts';
import { DuckDbSeriesStateStore } from '../store/duckdb/series-state-store.ts';
import { LocalUsageReports } from './usage-reports.ts';
import { routeApi } from './api-routes.ts';
import { serveDashboardFile } from './static-files.ts';
import { SerialQueue } from './serial-queue.ts';
import { removeServerInfo, writeServerInfo } from './server-info.ts';

export interface LocalServerOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly dataDir: string;
  /** When set, every request needs `Authorization: Bearer <token>` or Basic with it as the password. */
  readonly token?: string | undefined;
  readonly maxBodyBytes?: number;
  /** One line per request; never carries payload content. */
  readonly log?: (line: string) => void;
}

export interface LocalServer {
  readonly url: string;
  close(): Promise<void>;
}

class BodyTooLarge extends Error {}

/** Reads the body (chunked or not) up to `max` bytes; stops reading as soon as the cap is passed. */
function readBody(request: IncomingMessage, max: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length'] ?? Number.NaN);
    if (declared > max) {
      reject(new BodyTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        request.pause();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, answer: Pick<ExportAnswer, 'status' | 'headers' | 'body'>): void {
  response.writeHead(answer.status, { ...answer.headers, 'content-length': String(answer.body.byteLength) });
  response.end(answer.body);
}

/**
 * `seatmeter serve`: the OTLP/HTTP receiver, the dashboard page and its API in one process, over the same
 * decode → normalize → price → store path as the Lambda, with DuckDB as the store. This process is the only
 * one holding the database file; the CLI asks it over HTTP while it runs.
 */
export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  const database = await LocalDatabase.open(options.dataDir);
  // Cumulative state is read, then written after the records: two such exports must not interleave there.
  // One process, one queue for every scope: cumulative exports are a small share of the traffic.
  const cumulativeQueue = new SerialQueue();
  const ports = {
    store: new DuckDbRecordStore(database),
    state: new DuckDbSeriesStateStore(database),
    pricer: defaultPriceBook(),
    cumulativeLock: <T>(_scopes: readonly string[], work: () => Promise<T>) => cumulativeQueue.run(work),
  };
  const reports = new LocalUsageReports(database);
  const probes = new DuckDbProbeReader(database);
  const exportsInFlight = new Set<Promise<unknown>>();
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const log = options.log ?? (() => undefined);

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<string> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (options.token !== undefined) {
      if (matchCredential(request.headers.authorization, [{ secret: options.token }]) === null) {
        send(response, errorAnswer(undefined, 401, 'missing or wrong credentials', { 'www-authenticate': WWW_AUTHENTICATE }));
        return 'unauthorized';
      }
    }
    if (request.method === 'GET' || request.method === 'HEAD') {
      const probeSession = probeSessionInPath(url.pathname);
      if (probeSession !== null) {
        const answer = await answerProbe(probeSession, probes);
        send(response, answer);
        return answer.summary;
      }
      if (url.pathname.startsWith('/api/') || url.pathname === '/healthz') {
        send(response, await routeApi(url, reports));
        return '';
      }
      send(response, await serveDashboardFile(url.pathname));
      return '';
    }
    if (request.method !== 'POST' || url.pathname.startsWith('/api/')) {
      send(response, errorAnswer(undefined, 405, `${request.method ?? ''} ${url.pathname} is not supported; OTLP exports are POSTed`, { allow: 'GET, POST' }));
      return 'method not allowed';
    }
    let body: Uint8Array;
    try {
      body = await readBody(request, maxBodyBytes);
    } catch (error) {
      if (!(error instanceof BodyTooLarge)) throw error;
      const answer = errorAnswer(undefined, 413, `body exceeds the ${maxBodyBytes}-byte limit`, { connection: 'close' });
      send(response, answer);
      request.destroy();
      return answer.summary;
    }
    const exported = answerExport(
      { path: url.pathname, body, contentType: request.headers['content-type'], contentEncoding: request.headers['content-encoding'] },
      ports,
    );
    exportsInFlight.add(exported);
    const answer = await exported.finally(() => exportsInFlight.delete(exported));
    send(response, answer);
    return answer.summary;
  }

  const server = createServer((request, response) => {
    const started = performance.now();
    handle(request, response)
      .then((summary) => {
        const detail = summary === '' ? '' : ` ${summary}`;
        log(`${request.method} ${request.url} ${response.statusCode}${detail} ${(performance.now() - started).toFixed(1)}ms`);
      })
      .catch((error: unknown) => {
        log(`${request.method} ${request.url} 500 ${error instanceof Error ? error.message : String(error)}`);
        if (!response.headersSent) send(response, errorAnswer(undefined, 500, 'internal error'));
        else response.destroy();
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  writeServerInfo(options.dataDir, { url, pid: process.pid });
  return {
    url,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await Promise.allSettled(exportsInFlight);
      await database.close();
      removeServerInfo(options.dataDir);
    },
  };
}
