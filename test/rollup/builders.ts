import type { AnalyticsActorDay } from '../../lambdas/rollup/sources.ts';
import type { KeyActivity, KeySession, UsageLine } from '../../lambdas/rollup/types.ts';

/** 10:00 UTC on the fixture day. */
export const MORNING_MS = Date.parse('2026-11-22T10:00:00Z');

export function line(overrides: Partial<UsageLine> = {}): UsageLine {
  return {
    user_email: 'dev@example.com',
    tool: 'claude_code',
    model: 'acme-coder',
    repo: 'acme/payments-api',
    session_id: 'session-1',
    time_ms: MORNING_MS,
    input_tokens: 1_000,
    cache_read_tokens: 0,
    cache_write_tokens: 0,
    output_tokens: 100,
    reasoning_tokens: 0,
    reported_cost_usd: null,
    ...overrides,
  };
}

/** The session's usage from `first_ms` (default 10:00) to `last_ms` (default an hour later). */
export function session(session_id: string, overrides: Partial<KeySession> = {}): KeySession {
  return { user_email: 'dev@example.com', tool: 'claude_code', model: 'acme-coder', repo: 'acme/payments-api', session_id, first_ms: MORNING_MS, last_ms: MORNING_MS + 3_600_000, ...overrides };
}

export function activity(metric: KeyActivity['metric'], value: number, overrides: Partial<KeyActivity> = {}): KeyActivity {
  return { user_email: 'dev@example.com', tool: 'claude_code', model: 'acme-coder', repo: 'acme/payments-api', session_id: 'session-1', metric, value, ...overrides };
}

export function actorDay(email: string, models: AnalyticsActorDay['models'], overrides: Partial<AnalyticsActorDay> = {}): AnalyticsActorDay {
  return {
    day: '2026-11-22',
    actor: { kind: 'user', email },
    customer_type: 'api',
    sessions: 2,
    lines_added: 40,
    lines_removed: 3,
    commits: 1,
    pull_requests: 0,
    models,
    ...overrides,
  };
}

export function modelUsage(model: string, input: number, costUsd: number | null): AnalyticsActorDay['models'][number] {
  return { model, input_tokens: input, output_tokens: 0, cache_read_tokens: 0, cache_write_tokens: 0, estimated_cost_usd: costUsd };
}
