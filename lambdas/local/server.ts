import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_MAX_BODY_BYTES } from '../otlp/decode.ts';
import { WWW_AUTHENTICATE, matchCredential } from '../http-answers/credentials.ts';
import { answerExport, errorAnswer } from '../http-answers/export-handler.ts';
import type { ExportAnswer, ExportRequest } from '../http-answers/export-handler.ts';
import { answerProbe, probeSessionInPath } from '../http-answers/probe-route.ts';
import { CLAUDE_CODE_HOOK_PATH, DECISION_PATH, REPO_HEADER, USER_HEADER, answerClaudeCodeHook, answerDecision } from '../http-answers/budget-answers.ts';
import { answerBudgetApi, isBudgetApiPath } from './budget-api.ts';
import { localBudgetServices } from './budget-services.ts';
import { LocalAlerts } from './local-alerts.ts';
import type { AlertRun } from '../budgets/alerts/evaluate-alerts.ts';
import { LocalDatabase } from '../store/duckdb/database.ts';
import { localIngestPorts } from '../ingest-ports/local.ts';
import { DuckDbDayUsageSource } from '../store/duckdb/day-usage-reader.ts';
import { DuckDbProbeReader } from '../store/duckdb/probe-reader.ts';
import { PullRequestFile, pullRequestsPath } from './pull-request-file.ts';
import { answerImport, isImportPath } from '../http-answers/import-route.ts';
import { duckDbCoverage } from '../store/duckdb/coverage-reader.ts';
import { LocalUsageReports } from './usage-reports.ts';
import { routeApi } from './api-routes.ts';
import { serveDashboardFile } from './static-files.ts';
import { hostAllowed, isLoopbackHost, requestUrl } from './request-host.ts';
import { removeServerInfo, writeServerInfo } from './server-info.ts';
import { startOtlpGrpcServer } from '../grpc/otlp-grpc-server.ts';
import type { OtlpGrpcServer } from '../grpc/otlp-grpc-server.ts';

export interface LocalServerOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** OTLP/gRPC on the same host: 0 picks a free port, absent listens for HTTP only. */
  readonly grpcPort?: number | undefined;
  readonly dataDir: string;
  /** When set, every request needs `Authorization: Bearer <token>` or Basic with it as the password. */
  readonly token?: string | undefined;
  /**
   * Without a token the server listens on loopback only and answers only Host names that are loopback or
   * its own address (a DNS-rebinding page otherwise reads every developer's usage); true lifts both.
   */
  readonly allowUnauthenticatedNetwork?: boolean;
  readonly maxBodyBytes?: number;
  /** One line per request; never carries payload content. */
  readonly log?: (line: string) => void;
  /** The clock budgets' periods are found by. @default Date.now */
  readonly now?: () => number;
  /** Slack incoming webhook for the alerts of budgets that name none of their own. */
  readonly slackWebhookUrl?: string | undefined;
  /** How often budgets are checked for alerts; 0 only when asked through evaluateAlerts. @default 60 s */
  readonly alertEveryMs?: number;
}

export class UnsafeBindError extends Error {}

export interface LocalServer {
  readonly url: string;
  /** `host:port` of the OTLP/gRPC listener, when one was asked for. */
  readonly grpcAddress: string | undefined;
  /** One pass of the budget alerts now, as the timer makes every `alertEveryMs`. */
  evaluateAlerts(): Promise<AlertRun>;
  close(): Promise<void>;
}

/** Budgets are checked once a minute, so an alert goes out within two minutes of its threshold. */
const DEFAULT_ALERT_EVERY_MS = 60_000;

class BodyTooLarge extends Error {}

/** The client closed the connection before its body was complete: nothing to answer, nothing went wrong here. */
class ClientAborted extends Error {
  constructor(readonly received: number) {
    super(`aborted by the client after ${received} bytes of its body`);
  }
}

/**
 * After a 413 the client is usually still sending. Closing the socket then would make the kernel answer its
 * unread data with a reset, and the client would see a network error (and retry) instead of the 413; so up
 * to this much more is read and discarded before the connection closes.
 */
const DRAIN_AFTER_REFUSAL_BYTES = 256 * 1024 * 1024;
const DRAIN_AFTER_REFUSAL_MS = 10_000;

/** Reads the body (chunked or not) up to `max` bytes; keeps nothing once the cap is passed. */
function readBody(request: IncomingMessage, max: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    if (declaredLength(request) > max) {
      reject(new BodyTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) reject(new BodyTooLarge());
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', () => reject(new ClientAborted(size)));
    request.on('close', () => {
      if (!request.complete) reject(new ClientAborted(size));
    });
  });
}

function declaredLength(request: IncomingMessage): number {
  return Number(request.headers['content-length'] ?? Number.NaN);
}

/** A header's one value; a repeated header counts as absent. */
function headerText(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function send(response: ServerResponse, answer: Pick<ExportAnswer, 'status' | 'headers' | 'body'>): void {
  response.writeHead(answer.status, { ...answer.headers, 'content-length': String(answer.body.byteLength) });
  response.end(answer.body);
}

/**
 * Sends the whole answer at once, then discards what the client still sends (bounded) before ending the
 * response, which is what closes the connection (see DRAIN_AFTER_REFUSAL_BYTES).
 */
function refuseBody(request: IncomingMessage, response: ServerResponse, answer: Pick<ExportAnswer, 'status' | 'headers' | 'body'>): void {
  response.writeHead(answer.status, { ...answer.headers, connection: 'close', 'content-length': String(answer.body.byteLength) });
  response.write(answer.body);
  let drained = 0;
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    clearTimeout(timer);
    request.removeAllListeners('data');
    response.end();
  };
  const timer = setTimeout(close, DRAIN_AFTER_REFUSAL_MS);
  request.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DRAIN_AFTER_REFUSAL_BYTES) close();
  });
  request.once('end', close);
  request.once('close', close);
  request.resume();
}

/**
 * `seatmeter serve`: the OTLP/HTTP receiver, the dashboard page and its API in one process, over the same
 * decode → normalize → price → store path as the Lambda, with DuckDB as the store. This process is the only
 * one holding the database file; the CLI asks it over HTTP while it runs.
 */
export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  if (options.token === undefined && options.allowUnauthenticatedNetwork !== true && !isLoopbackHost(options.host)) {
    throw new UnsafeBindError(
      `refusing to listen on ${options.host} without a token: anyone who can reach it could read every developer's usage ` +
        'and write to it. Set --token (SEATMETER_TOKEN), or pass --allow-unauthenticated-network if the network itself is trusted.',
    );
  }
  const database = await LocalDatabase.open(options.dataDir);
  const budgets = localBudgetServices(database, options.dataDir, options.now ?? Date.now);
  const ports = await localIngestPorts(database, options.dataDir, budgets.teams);
  const reports = new LocalUsageReports(database, new PullRequestFile(pullRequestsPath(options.dataDir)));
  const dayUsage = new DuckDbDayUsageSource(database);
  const probes = new DuckDbProbeReader(database);
  const coverage = duckDbCoverage(database);
  const exportsInFlight = new Set<Promise<unknown>>();
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const log = options.log ?? (() => undefined);

  async function handle(request: IncomingMessage, response: ServerResponse, url: URL): Promise<string> {
    if (options.token === undefined && options.allowUnauthenticatedNetwork !== true && !hostAllowed(request.headers.host, boundAddress)) {
      const answer = errorAnswer(undefined, 421, `Host "${request.headers.host ?? ''}" is not this server's; without a token only loopback names are answered`);
      send(response, answer);
      return answer.summary;
    }
    if (options.token !== undefined) {
      if (matchCredential(request.headers.authorization, [{ secret: options.token }]) === null) {
        send(response, errorAnswer(undefined, 401, 'missing or wrong credentials', { 'www-authenticate': WWW_AUTHENTICATE }));
        return 'unauthorized';
      }
    }
    const budgetApi = isBudgetApiPath(url.pathname);
    if ((request.method === 'GET' || request.method === 'HEAD') && !budgetApi) {
      const probeSession = probeSessionInPath(url.pathname);
      if (probeSession !== null) {
        const answer = await answerProbe(probeSession, probes);
        send(response, answer);
        return answer.summary;
      }
      if (url.pathname.startsWith('/api/') || url.pathname === '/healthz') {
        send(response, await routeApi(url, { reports, dayUsage }));
        return '';
      }
      send(response, await serveDashboardFile(url.pathname));
      return '';
    }
    if (!budgetApi && (request.method !== 'POST' || url.pathname.startsWith('/api/'))) {
      send(response, errorAnswer(undefined, 405, `${request.method ?? ''} ${url.pathname} is not supported; OTLP exports are POSTed`, { allow: 'GET, POST' }));
      return 'method not allowed';
    }
    let body: Uint8Array;
    try {
      body = await readBody(request, maxBodyBytes);
    } catch (error) {
      if (!(error instanceof BodyTooLarge)) throw error;
      const answer = tooLarge();
      refuseBody(request, response, answer);
      return answer.summary;
    }
    if (budgetApi || url.pathname === DECISION_PATH || url.pathname === CLAUDE_CODE_HOOK_PATH) {
      const answer = budgetApi
        ? ((await answerBudgetApi(request.method, url.pathname, body, budgets)) ?? errorAnswer(undefined, 405, `${request.method ?? ''} ${url.pathname} is not a budget route`, { allow: 'GET, PUT, POST, DELETE' }))
        : url.pathname === DECISION_PATH
          ? await answerDecision(body, undefined, budgets)
          : await answerClaudeCodeHook(body, { user: headerText(request.headers[USER_HEADER]), repo: headerText(request.headers[REPO_HEADER]) }, undefined, budgets);
      send(response, answer);
      return answer.summary;
    }
    const answer = await tracked(
      isImportPath(url.pathname)
        ? answerImport(new TextDecoder().decode(body), { ...ports, coverage })
        : answerExport({ path: url.pathname, body, contentType: request.headers['content-type'], contentEncoding: request.headers['content-encoding'] }, ports),
    );
    send(response, answer);
    return answer.summary;
  }

  /** Work that stores records, from any transport: close waits for what is still being stored. */
  function tracked<T>(work: Promise<T>): Promise<T> {
    exportsInFlight.add(work);
    return work.finally(() => exportsInFlight.delete(work));
  }

  const answerTracked = (request: ExportRequest): Promise<ExportAnswer> => tracked(answerExport(request, ports));

  const tooLarge = (): ExportAnswer => errorAnswer(undefined, 413, `body exceeds the ${maxBodyBytes}-byte limit; send smaller batches`);

  const onRequest = (request: IncomingMessage, response: ServerResponse): void => {
    const started = performance.now();
    // Logs name the path only: query strings carry emails and filters.
    const url = requestUrl(request.url);
    const line = `${request.method} ${url?.pathname ?? '(unparsable target)'}`;
    if (url === null) {
      send(response, errorAnswer(undefined, 400, 'the request target is not a path'));
      log(`${line} 400`);
      return;
    }
    handle(request, response, url)
      .then((summary) => {
        const detail = summary === '' ? '' : ` ${summary}`;
        log(`${line} ${response.statusCode}${detail} ${(performance.now() - started).toFixed(1)}ms`);
      })
      .catch((error: unknown) => {
        if (error instanceof ClientAborted) {
          log(`${line} ${error.message}`);
          return;
        }
        log(`${line} 500 ${error instanceof Error ? error.message : String(error)}`);
        if (!response.headersSent) send(response, errorAnswer(undefined, 500, 'internal error'));
        else response.destroy();
      });
  };
  const server = createServer(onRequest);
  // An exporter sending `Expect: 100-continue` learns of an oversized body before sending any of it.
  server.on('checkContinue', (request: IncomingMessage, response: ServerResponse) => {
    if (declaredLength(request) > maxBodyBytes) {
      const answer = tooLarge();
      refuseBody(request, response, answer);
      log(`${request.method} ${requestUrl(request.url)?.pathname ?? '(unparsable target)'} 413 ${answer.summary} (before 100 Continue)`);
      return;
    }
    response.writeContinue();
    onRequest(request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  const address = server.address() as AddressInfo;
  const boundAddress = address.address;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  let grpc: OtlpGrpcServer | undefined;
  if (options.grpcPort !== undefined) {
    try {
      grpc = await startOtlpGrpcServer({ host: options.host, port: options.grpcPort, token: options.token, maxMessageBytes: maxBodyBytes, answer: answerTracked, log });
    } catch (error) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await database.close();
      throw error;
    }
  }
  writeServerInfo(options.dataDir, { url, pid: process.pid });
  const alerts = new LocalAlerts(budgets, {
    defaultSlackWebhookUrl: options.slackWebhookUrl ?? null,
    everyMs: options.alertEveryMs ?? DEFAULT_ALERT_EVERY_MS,
    boardUrl: `${url}/`,
    log,
  });
  return {
    url,
    grpcAddress: grpc?.address,
    evaluateAlerts: () => alerts.evaluate(),
    async close() {
      await alerts.close();
      await grpc?.close();
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
