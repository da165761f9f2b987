import { DEFAULT_RETRY_POLICY, errorDetail, sendWithRetry, serverNow } from '../http-retry.ts';
import type { PartnerResponse, RetryPolicy } from '../http-retry.ts';
import { PartnerApiError, PartnerConfigError } from '../partner-errors.ts';
import type { AnalyticsActorDay, ClaudeCodeAnalyticsSource } from '../sources.ts';
import { WireFieldError, parseJsonBody } from '../wire-fields.ts';
import { parseUsageReportPage } from './usage-report-wire.ts';
import type { UsageReportPage } from './usage-report-wire.ts';

export const ANTHROPIC_API_URL = 'https://api.anthropic.com';
const REPORT_PATH = '/v1/organizations/usage_report/claude_code';
const LABEL = `GET ${REPORT_PATH}`;
/** The API's maximum page: fewest round trips. */
const PAGE_SIZE = 1000;

export interface AnthropicAnalyticsOptions {
  /** An Admin API key (`sk-ant-admin…`); ordinary API keys are refused by this endpoint. */
  readonly adminKey: string;
  /** @default https://api.anthropic.com; a proxy's base may carry a path, which is kept. */
  readonly baseUrl?: string;
  readonly retry?: Partial<RetryPolicy>;
}

/** `retry-after` in seconds, or as an HTTP date (RFC 9110 allows both). */
function retryAfterMs(response: PartnerResponse, now: number): number | null {
  const header = response.headers.get('retry-after')?.trim();
  if (header === undefined || header === '') return null;
  if (/^\d+(\.\d+)?$/.test(header)) return Math.ceil(Number(header) * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - serverNow(response, now));
}

/** The API's error shape is `{type:"error", error:{type, message}}`. */
function apiMessage(json: Readonly<Record<string, unknown>>): string | null {
  const message = (json.error as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message : null;
}

function refusal(response: PartnerResponse): PartnerApiError {
  const detail = errorDetail(response.body, apiMessage);
  if (response.status === 401) return new PartnerApiError('Anthropic', 401, `admin key rejected (HTTP 401): ${detail}`);
  if (response.status === 403) return new PartnerApiError('Anthropic', 403, `admin key may not read the Claude Code usage report (HTTP 403): ${detail}`);
  return new PartnerApiError('Anthropic', response.status, `${LABEL} answered HTTP ${response.status}: ${detail}`);
}

/** A real calendar day, because the API answers a malformed one with an error and an impossible one with nothing. */
function checkDay(day: string): void {
  const parsed = new Date(`${day}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== day) {
    throw new PartnerConfigError(`day must be a calendar day as YYYY-MM-DD, got "${day}"`);
  }
}

/**
 * The Claude Code Analytics API (Admin API) as a ClaudeCodeAnalyticsSource: one UTC day per call, every page
 * followed, throttling and server errors retried, and any answer that is not the documented shape an error.
 */
export class AnthropicClaudeCodeAnalytics implements ClaudeCodeAnalyticsSource {
  readonly #adminKey: string;
  readonly #reportUrl: string;
  readonly #retry: RetryPolicy;

  constructor(options: AnthropicAnalyticsOptions) {
    this.#adminKey = options.adminKey;
    this.#reportUrl = `${(options.baseUrl ?? ANTHROPIC_API_URL).replace(/\/+$/, '')}${REPORT_PATH}`;
    this.#retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  }

  async actorDays(day: string): Promise<readonly AnalyticsActorDay[]> {
    checkDay(day);
    const actorDays: AnalyticsActorDay[] = [];
    const cursorsSeen = new Set<string>();
    let cursor: string | null = null;
    do {
      const page = await this.#page(day, cursor);
      actorDays.push(...page.actorDays);
      cursor = page.nextPage;
      if (cursor !== null) {
        // The cursor is opaque, but one seen before means the same pages again, forever.
        if (cursorsSeen.has(cursor)) throw new PartnerApiError('Anthropic', 200, `${LABEL} for ${day} returned the page cursor "${cursor}" twice; stopped a pagination loop`);
        cursorsSeen.add(cursor);
      }
    } while (cursor !== null);
    return actorDays;
  }

  async #page(day: string, cursor: string | null): Promise<UsageReportPage> {
    const url = new URL(this.#reportUrl);
    url.searchParams.set('starting_at', day);
    url.searchParams.set('limit', String(PAGE_SIZE));
    if (cursor !== null) url.searchParams.set('page', cursor);
    const response = await sendWithRetry(
      {
        partner: 'Anthropic',
        label: LABEL,
        send: (signal) =>
          fetch(url, {
            headers: { 'x-api-key': this.#adminKey, 'anthropic-version': '2023-06-01', accept: 'application/json', 'user-agent': 'seatmeter-rollup' },
            signal,
          }),
        requestedWaitMs: retryAfterMs,
      },
      this.#retry,
    );
    if (response.status !== 200) throw refusal(response);
    try {
      return parseUsageReportPage(parseJsonBody(response.body), day);
    } catch (error) {
      if (!(error instanceof WireFieldError)) throw error;
      throw new PartnerApiError('Anthropic', 200, `unexpected ${LABEL} answer for ${day}: ${error.message}`, { cause: error });
    }
  }
}
