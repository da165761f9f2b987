import { PartnerApiError } from './partner-errors.ts';
import type { Partner } from './partner-errors.ts';

/** How hard a partner call tries before the rollup gives up on the day. Clock and sleep are injectable so tests never wait. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  /** The longest single wait accepted: a server asking for more fails the run now instead of stalling it. */
  readonly maxWaitMs: number;
  /** For one attempt, headers and body together. */
  readonly attemptTimeoutMs: number;
  /** First backoff when the server names no wait; each next one twice as long, up to `maxBackoffMs`. */
  readonly baseBackoffMs: number;
  readonly maxBackoffMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => number;
  /** In [0, 1); spreads the backoff so that parallel callers do not retry in step. */
  readonly random: () => number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  // Okta's rate-limit windows are one minute; anything longer is an outage, not a rate limit.
  maxWaitMs: 90_000,
  attemptTimeoutMs: 30_000,
  baseBackoffMs: 1_000,
  maxBackoffMs: 30_000,
  sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  now: Date.now,
  random: Math.random,
};

/** One answer, body already read, so that a connection dropped mid-body is retried like any other failure. */
export interface PartnerResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

export interface PartnerRequest {
  readonly partner: Partner;
  /** Method and path for messages: never the query (cursors, emails) nor headers (credentials). */
  readonly label: string;
  /** Sends one attempt; called again for each retry, so credentials can be refreshed in between. */
  readonly send: (signal: AbortSignal) => Promise<Response>;
  /** The wait the server asked for before the next attempt, from its headers; null when it named none. */
  readonly requestedWaitMs: (response: PartnerResponse, now: number) => number | null;
  /** A refusal that is the partner's throttling in another status (GitHub's secondary rate limit is a 403). */
  readonly throttled?: (response: PartnerResponse) => boolean;
}

/** Throttled or failing on the server's side: the same request can succeed later. */
function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/** Network failures and timeouts are retried; anything else thrown (a refused token, a bad URL) is not. */
function retryableFailure(error: unknown): string | null {
  if (error instanceof PartnerApiError || !(error instanceof Error)) return null;
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'timed out';
  // undici reports every network failure as TypeError("fetch failed") with the socket error as its cause.
  if (error instanceof TypeError && error.cause instanceof Error) {
    const code = (error.cause as { code?: unknown }).code;
    return `network error (${typeof code === 'string' ? code : error.cause.message})`;
  }
  return null;
}

export function backoffMs(retry: number, policy: RetryPolicy): number {
  const ceiling = Math.min(policy.maxBackoffMs, policy.baseBackoffMs * 2 ** retry);
  return Math.round(ceiling * (0.5 + policy.random() / 2));
}

/** The server's clock from its `Date` header, so that waits computed from its epoch headers ignore our clock skew. */
export function serverNow(response: PartnerResponse, now: number): number {
  const date = Date.parse(response.headers.get('date') ?? '');
  return Number.isNaN(date) ? now : date;
}

/**
 * A partner's own explanation of a refusal, picked from its JSON error shape by `fromJson`; else the start of
 * the body, since a proxy's HTML error page says more than nothing.
 */
export function errorDetail(body: string, fromJson: (json: Readonly<Record<string, unknown>>) => string | null): string {
  try {
    const json: unknown = JSON.parse(body);
    const detail = typeof json === 'object' && json !== null ? fromJson(json as Record<string, unknown>) : null;
    if (detail !== null) return detail;
  } catch {
    // Not JSON: fall through to the raw start.
  }
  return body.slice(0, 200);
}

/**
 * Sends until the answer is final: a success, or an error that repeating cannot fix (401, 404…), which the
 * caller turns into its own message. Throttling, 5xx and network failures are retried with the wait the server
 * asked for, else exponential backoff, up to `maxAttempts`; then it throws, naming the last failure.
 */
export async function sendWithRetry(request: PartnerRequest, policy: RetryPolicy): Promise<PartnerResponse> {
  for (let attempt = 1; ; attempt += 1) {
    let failure: string;
    let status: number | null = null;
    let requestedWait: number | null = null;
    try {
      const signal = AbortSignal.timeout(policy.attemptTimeoutMs);
      const raw = await request.send(signal);
      const response: PartnerResponse = { status: raw.status, headers: raw.headers, body: await raw.text() };
      if (!isRetryableStatus(response.status) && request.throttled?.(response) !== true) return response;
      status = response.status;
      failure = `HTTP ${response.status}`;
      requestedWait = request.requestedWaitMs(response, policy.now());
    } catch (error) {
      const reason = retryableFailure(error);
      if (reason === null) throw error;
      failure = reason;
    }
    if (attempt >= policy.maxAttempts) {
      throw new PartnerApiError(request.partner, status, `${request.label} still failing after ${attempt} attempts (last: ${failure})`);
    }
    const wait = requestedWait ?? backoffMs(attempt - 1, policy);
    if (wait > policy.maxWaitMs) {
      throw new PartnerApiError(request.partner, status, `${request.label} answered ${failure} and asked to wait ${Math.ceil(wait / 1000)} s, more than the ${policy.maxWaitMs / 1000} s this run allows`);
    }
    await policy.sleep(wait);
  }
}
