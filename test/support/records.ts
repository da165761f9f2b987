/** Canonical records for the store and receiver tests: fully populated, with the nulls a real client leaves. */
import type { ActivityRecord, RequestRecord, UsageRecord } from '../../lambdas/records/types.ts';

export const RECORD_TIME = Date.parse('2026-11-22T10:00:00Z');

const CONTEXT = {
  tool: 'claude_code',
  user_email: 'dev@example.com',
  user_id: null,
  organization_id: 'org-1',
  repo: 'acme/app',
  session_id: 'session-1',
  terminal: null,
  client_version: '2.1.0',
  team: null,
} as const;

export function usage(overrides: Partial<UsageRecord> = {}): UsageRecord {
  return {
    kind: 'usage',
    id: 'usage-1',
    time_ms: RECORD_TIME,
    ...CONTEXT,
    model: 'claude-opus-4-8',
    input_tokens: 10,
    cache_read_tokens: 2000,
    cache_write_tokens: 0,
    output_tokens: 300,
    reasoning_tokens: 0,
    estimated_cost_usd: 0.0125,
    reported_cost_usd: null,
    price_version: 'genai-prices 0.1.8',
    ...overrides,
  };
}

export function activity(overrides: Partial<ActivityRecord> = {}): ActivityRecord {
  return {
    kind: 'activity',
    id: 'activity-1',
    time_ms: RECORD_TIME,
    ...CONTEXT,
    metric: 'lines_added',
    value: 42,
    model: 'claude-opus-4-8',
    detail: null,
    ...overrides,
  };
}

export function request(overrides: Partial<RequestRecord> = {}): RequestRecord {
  return {
    kind: 'request',
    id: 'request-1',
    time_ms: RECORD_TIME,
    ...CONTEXT,
    event: 'api_request',
    model: 'claude-opus-4-8',
    request_id: 'req_01',
    duration_ms: 1234.5,
    status_code: null,
    error: null,
    input_tokens: 10,
    cache_read_tokens: 2000,
    cache_write_tokens: 0,
    output_tokens: 300,
    reasoning_tokens: 0,
    estimated_cost_usd: 0.0125,
    reported_cost_usd: 0.0125,
    price_version: 'genai-prices 0.1.8',
    ...overrides,
  };
}

/** `count` usage records of one session, a second apart up to RECORD_TIME, with distinct ids. */
export function usageSeries(count: number): UsageRecord[] {
  return Array.from({ length: count }, (_, index) => usage({ id: `usage-${index}`, time_ms: RECORD_TIME - (count - 1 - index) * 1000, input_tokens: index }));
}
