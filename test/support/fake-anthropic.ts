import { httpDate, startFakePartner } from './fake-partner-server.ts';
import type { FakeAnswer, FakeRequest, RunningFake } from './fake-partner-server.ts';

/**
 * A fake Anthropic Admin API serving `GET /v1/organizations/usage_report/claude_code` as documented: admin key
 * in `x-api-key`, `anthropic-version` required, one UTC day per `starting_at`, `limit` up to 1000, opaque
 * `page` cursors with `has_more`/`next_page`, and errors in Anthropic's shape.
 *
 *   const anthropic = await startFakeAnthropic({ adminKey: 'sk-ant-admin01-test', days: { '2026-11-03': [
 *     claudeCodeUsageItem({ day: '2026-11-03', email: 'Ada@Example.com', models: [{ model: 'claude-opus-4-5', input: 10, costCents: 186 }] }),
 *   ] }, pageSize: 2 });
 *   anthropic.failNext('usageReport', { status: 429, headers: { 'retry-after': '3' } }, { status: 500 });
 *   … anthropic.url as ANTHROPIC_BASE_URL; anthropic.calls.usageReport; anthropic.requests …
 *   await anthropic.close();
 */

export type FakeAnthropicRoute = 'usageReport';

export interface FakeAnthropicOptions {
  readonly adminKey: string;
  /** Report items by UTC day, in the API's wire shape (see claudeCodeUsageItem). */
  readonly days: Readonly<Record<string, readonly unknown[]>>;
  /** Items per page at most, whatever `limit` asks, so that a test sees several pages. @default 1000 */
  readonly pageSize?: number;
  /** The server's clock, for its `Date` header. @default Date.now */
  readonly now?: () => number;
}

export interface FakeAnthropic extends RunningFake<FakeAnthropicRoute> {
  /** Every request received, in order, for assertions on query and headers. */
  readonly requests: readonly FakeRequest[];
}

export interface FakeModelLine {
  readonly model: string;
  readonly input?: number;
  readonly output?: number;
  readonly cacheRead?: number;
  readonly cacheCreation?: number;
  /** In cents, as the API reports it; omitted means no `estimated_cost`. */
  readonly costCents?: number;
}

/** One actor-day in the wire shape, with the fields the documentation shows; zero where not given. */
export function claudeCodeUsageItem(item: {
  readonly day: string;
  readonly email?: string;
  readonly apiKeyName?: string;
  readonly customerType?: 'api' | 'subscription';
  readonly sessions?: number;
  readonly linesAdded?: number;
  readonly linesRemoved?: number;
  readonly commits?: number;
  readonly pullRequests?: number;
  readonly models: readonly FakeModelLine[];
}): Record<string, unknown> {
  return {
    date: `${item.day}T00:00:00Z`,
    actor: item.email === undefined ? { type: 'api_actor', api_key_name: item.apiKeyName ?? 'ci-key' } : { type: 'user_actor', email_address: item.email },
    organization_id: '8d3f7c2e-1b4a-4c5d-9e6f-0a1b2c3d4e5f',
    customer_type: item.customerType ?? 'api',
    terminal_type: 'vscode',
    core_metrics: {
      num_sessions: item.sessions ?? 1,
      lines_of_code: { added: item.linesAdded ?? 0, removed: item.linesRemoved ?? 0 },
      commits_by_claude_code: item.commits ?? 0,
      pull_requests_by_claude_code: item.pullRequests ?? 0,
    },
    tool_actions: { edit_tool: { accepted: 1, rejected: 0 } },
    model_breakdown: item.models.map((line) => ({
      model: line.model,
      tokens: { input: line.input ?? 0, output: line.output ?? 0, cache_read: line.cacheRead ?? 0, cache_creation: line.cacheCreation ?? 0 },
      ...(line.costCents === undefined ? {} : { estimated_cost: { currency: 'USD', amount: line.costCents } }),
    })),
  };
}

const ERROR_TYPES: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  429: 'rate_limit_error',
  529: 'overloaded_error',
};

function errorBody(status: number, message = `fake error ${status}`): string {
  return JSON.stringify({ type: 'error', error: { type: ERROR_TYPES[status] ?? 'api_error', message } });
}

function invalid(message: string): FakeAnswer {
  return { status: 400, body: errorBody(400, message) };
}

// Cursors are opaque to clients; here they encode the offset of the page they start.
const cursorOf = (offset: number) => `page_${Buffer.from(String(offset)).toString('base64url')}`;
const offsetOf = (cursor: string) => (cursor.startsWith('page_') ? Number(Buffer.from(cursor.slice(5), 'base64url').toString()) : Number.NaN);

export async function startFakeAnthropic(options: FakeAnthropicOptions): Promise<FakeAnthropic> {
  const now = options.now ?? Date.now;
  const maxPage = Math.min(options.pageSize ?? 1000, 1000);
  const requests: FakeRequest[] = [];

  function usageReport(request: FakeRequest): FakeAnswer {
    if (request.headers['x-api-key'] !== options.adminKey) return { status: 401, body: errorBody(401, 'invalid x-api-key') };
    if (request.headers['anthropic-version'] === undefined) return invalid('anthropic-version: header is required');
    const day = request.url.searchParams.get('starting_at') ?? '';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return invalid('starting_at: expected a date as YYYY-MM-DD');
    const limit = Number(request.url.searchParams.get('limit') ?? '20');
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return invalid('limit: must be between 1 and 1000');
    const cursor = request.url.searchParams.get('page');
    const offset = cursor === null ? 0 : offsetOf(cursor);
    if (!Number.isInteger(offset)) return invalid('page: invalid cursor');
    const items = options.days[day] ?? [];
    const end = offset + Math.min(limit, maxPage);
    const hasMore = end < items.length;
    return { status: 200, body: JSON.stringify({ data: items.slice(offset, end), has_more: hasMore, next_page: hasMore ? cursorOf(end) : null }) };
  }

  const fake = await startFakePartner<FakeAnthropicRoute>({
    routes: ['usageReport'],
    routeOf: (request) => {
      if (request.method !== 'GET' || request.url.pathname !== '/v1/organizations/usage_report/claude_code') return null;
      requests.push(request);
      return 'usageReport';
    },
    answer: (_route, request) => usageReport(request),
    errorBody: (status) => errorBody(status),
    commonHeaders: () => ({ date: httpDate(now()), 'request-id': `req_${requests.length}` }),
  });
  return { ...fake, requests };
}
