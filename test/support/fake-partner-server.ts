import { createServer } from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The machinery shared by the fake Anthropic and Okta servers: a real node:http server on 127.0.0.1 (port 0),
 * requests counted per route, and scripted faults that a test queues to be answered instead of the real thing.
 */

/**
 * Answered instead of the route's real answer, once per queued fault, in order: an answer (the body defaults
 * to the partner's error body for the status), or a connection closed without answering, as a network failure.
 */
export type FakeFault =
  | { readonly status: number; readonly headers?: Readonly<Record<string, string>>; readonly body?: string }
  | { readonly dropConnection: true };

export interface FakeAnswer {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface FakeRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

export interface RunningFake<Route extends string> {
  /** Base URL, `http://127.0.0.1:<port>`, without a trailing slash. */
  readonly url: string;
  /** Requests received per route, faulted ones included. */
  readonly calls: Readonly<Record<Route, number>>;
  failNext(route: Route, ...faults: readonly FakeFault[]): void;
  close(): Promise<void>;
}

export interface FakeDefinition<Route extends string> {
  readonly routes: readonly Route[];
  /** The route a request belongs to, or null for a 404. */
  readonly routeOf: (request: FakeRequest) => Route | null;
  readonly answer: (route: Route, request: FakeRequest) => FakeAnswer;
  /** The partner's error body, for faults that give none and for unknown paths. */
  readonly errorBody: (status: number) => string;
  /** Headers on every answer (the partner's clock in `Date`, rate-limit headers). */
  readonly commonHeaders: () => Readonly<Record<string, string>>;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

export async function startFakePartner<Route extends string>(definition: FakeDefinition<Route>): Promise<RunningFake<Route>> {
  const calls = Object.fromEntries(definition.routes.map((route) => [route, 0])) as Record<Route, number>;
  const faults = new Map<Route, FakeFault[]>(definition.routes.map((route) => [route, []]));
  const server = createServer((incoming, outgoing) => {
    void readBody(incoming).then((body) => {
      const request: FakeRequest = { method: incoming.method ?? 'GET', url: new URL(incoming.url ?? '/', 'http://127.0.0.1'), headers: incoming.headers, body };
      const route = definition.routeOf(request);
      let answer: FakeAnswer;
      if (route === null) {
        answer = { status: 404, body: definition.errorBody(404) };
      } else {
        calls[route] += 1;
        const fault = faults.get(route)?.shift();
        if (fault !== undefined && 'dropConnection' in fault) {
          incoming.socket.destroy();
          return;
        }
        answer = fault === undefined ? definition.answer(route, request) : { status: fault.status, headers: fault.headers, body: fault.body ?? definition.errorBody(fault.status) };
      }
      outgoing.writeHead(answer.status, { 'content-type': 'application/json', ...definition.commonHeaders(), ...answer.headers });
      outgoing.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    failNext: (route, ...queued) => faults.get(route)?.push(...queued),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
      }),
  };
}

/** An HTTP date from a clock, for `Date` headers that follow a test's clock rather than the machine's. */
export function httpDate(nowMs: number): string {
  return new Date(nowMs).toUTCString();
}

/**
 * A clock for partner clients and fakes alike, where sleeping only moves the clock: retry waits are recorded,
 * never spent. Pass `{ now, sleep, random }` as the client's retry policy and `now` to the fake.
 */
export interface ManualClock {
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Backoff jitter pinned to its middle, so waits are exact. */
  readonly random: () => number;
  /** Every wait asked for, in order. */
  readonly sleeps: readonly number[];
  advance(ms: number): void;
}

export function manualClock(startMs: number): ManualClock {
  let current = startMs;
  const sleeps: number[] = [];
  return {
    now: () => current,
    sleep: (ms) => {
      sleeps.push(ms);
      current += ms;
      return Promise.resolve();
    },
    random: () => 0.5,
    sleeps,
    advance: (ms) => {
      current += ms;
    },
  };
}
