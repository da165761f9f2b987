/** First retry waits about this long; each next one twice as long, up to the cap. */
const BASE_DELAY_MS = 100;
const MAX_DELAY_MS = 5_000;

/** Service errors that say "not now" rather than "never": the same request can succeed later. */
const TRANSIENT_ERRORS = new Set([
  'ThrottlingException',
  'InternalServerException',
  // The cell endpoint from discovery went stale; the next attempt discovers a fresh one.
  'InvalidEndpointException',
  'ServiceUnavailableException',
  'RequestTimeout',
  'RequestTimeoutException',
  // The SDK's socket timeout, and our own abort at the deadline.
  'TimeoutError',
  'AbortError',
]);

const NETWORK_ERROR_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

interface ErrorShape {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
}

/**
 * Whether a failed Timestream call (WriteRecords, Query) is worth sending again: throttling, a server fault (5xx) or the network.
 * Anything else (validation, a missing table, denied access) fails the same way every time.
 */
export function isTransient(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, code, $metadata } = error as ErrorShape;
  const status = $metadata?.httpStatusCode;
  if (typeof status === 'number' && (status >= 500 || status === 429)) return true;
  return (typeof name === 'string' && TRANSIENT_ERRORS.has(name)) || (typeof code === 'string' && NETWORK_ERROR_CODES.has(code));
}

/**
 * The wait before retry number `retry` (0 = the first): exponential, capped, with jitter so that Lambdas
 * throttled together do not retry together. The jitter keeps at least half of the wait, so the backoff
 * still backs off. `random` returns a number in [0, 1).
 */
export function backoffDelay(retry: number, random: () => number): number {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** retry);
  return Math.round(ceiling * (0.5 + random() / 2));
}
