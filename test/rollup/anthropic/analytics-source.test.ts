import { afterEach, describe, expect, it } from 'vitest';
import { AnthropicClaudeCodeAnalytics } from '../../../lambdas/rollup/anthropic/analytics-source.ts';
import { PartnerConfigError } from '../../../lambdas/rollup/partner-errors.ts';
import type { AnalyticsActorDay } from '../../../lambdas/rollup/sources.ts';
import { claudeCodeUsageItem, startFakeAnthropic } from '../../support/fake-anthropic.ts';
import type { FakeAnthropic } from '../../support/fake-anthropic.ts';
import { httpDate, manualClock } from '../../support/fake-partner-server.ts';
import { partnerFailure } from '../../support/partner-failure.ts';
import type { ManualClock } from '../../support/fake-partner-server.ts';

const DAY = '2026-11-03';
const ADMIN_KEY = 'sk-ant-admin01-fake-key';
const START = Date.parse('2026-11-04T02:00:00Z');

const ITEMS = [
  claudeCodeUsageItem({
    day: DAY,
    email: '  Ada.Lovelace@Example.COM ',
    sessions: 4,
    linesAdded: 120,
    linesRemoved: 30,
    commits: 2,
    pullRequests: 1,
    models: [
      { model: 'claude-opus-4-5-20251101', input: 1200, output: 800, cacheRead: 50_000, cacheCreation: 4000, costCents: 186 },
      { model: 'claude-haiku-4-5-20251001', input: 300, output: 90, cacheRead: 0, cacheCreation: 0, costCents: 1 },
    ],
  }),
  claudeCodeUsageItem({ day: DAY, email: 'grace@example.com', customerType: 'subscription', models: [{ model: 'claude-sonnet-4-5-20250929', input: 10, output: 5 }] }),
  claudeCodeUsageItem({ day: DAY, apiKeyName: 'ci-review-bot', models: [{ model: 'claude-sonnet-4-5-20250929', input: 7, output: 3, costCents: 0.25 }] }),
  claudeCodeUsageItem({ day: DAY, email: 'only-in-analytics@example.com', models: [] }),
  claudeCodeUsageItem({ day: DAY, email: 'linus@example.com', models: [{ model: 'claude-opus-4-5-20251101', input: 1, output: 1, costCents: 12 }] }),
];

const ADA: AnalyticsActorDay = {
  day: DAY,
  actor: { kind: 'user', email: 'ada.lovelace@example.com' },
  customer_type: 'api',
  sessions: 4,
  lines_added: 120,
  lines_removed: 30,
  commits: 2,
  pull_requests: 1,
  models: [
    { model: 'claude-opus-4-5-20251101', input_tokens: 1200, output_tokens: 800, cache_read_tokens: 50_000, cache_write_tokens: 4000, estimated_cost_usd: 1.86 },
    { model: 'claude-haiku-4-5-20251001', input_tokens: 300, output_tokens: 90, cache_read_tokens: 0, cache_write_tokens: 0, estimated_cost_usd: 0.01 },
  ],
};

let anthropic: FakeAnthropic;
let clock: ManualClock;

async function start(pageSize = 2): Promise<void> {
  clock = manualClock(START);
  anthropic = await startFakeAnthropic({ adminKey: ADMIN_KEY, days: { [DAY]: ITEMS }, pageSize, now: clock.now });
}

function source(overrides: { adminKey?: string; maxAttempts?: number } = {}): AnthropicClaudeCodeAnalytics {
  return new AnthropicClaudeCodeAnalytics({
    adminKey: overrides.adminKey ?? ADMIN_KEY,
    baseUrl: `${anthropic.url}/`,
    retry: { now: clock.now, sleep: clock.sleep, random: clock.random, ...(overrides.maxAttempts === undefined ? {} : { maxAttempts: overrides.maxAttempts }) },
  });
}

afterEach(async () => {
  await anthropic.close();
});

describe('AnthropicClaudeCodeAnalytics', () => {
  it('reads every page of the day and maps actors, metrics, tokens and cents', async () => {
    await start();
    const days = await source().actorDays(DAY);

    expect(days).toHaveLength(5);
    expect(days[0]).toEqual(ADA);
    expect(days.map((day) => day.actor)).toEqual([
      { kind: 'user', email: 'ada.lovelace@example.com' },
      { kind: 'user', email: 'grace@example.com' },
      { kind: 'api_key', name: 'ci-review-bot' },
      { kind: 'user', email: 'only-in-analytics@example.com' },
      { kind: 'user', email: 'linus@example.com' },
    ]);
    expect(days[1]?.customer_type).toBe('subscription');
    expect(days[1]?.models[0]?.estimated_cost_usd).toBeNull();
    expect(days[2]?.models[0]?.estimated_cost_usd).toBe(0.0025);
    expect(days[3]?.models).toEqual([]);
  });

  it('asks for one day at the largest page size, follows the cursors, and sends the admin headers', async () => {
    await start();
    await source().actorDays(DAY);

    expect(anthropic.calls.usageReport).toBe(3);
    const queries = anthropic.requests.map((request) => Object.fromEntries(request.url.searchParams));
    expect(queries[0]).toEqual({ starting_at: DAY, limit: '1000' });
    expect(queries[1]?.page).toMatch(/^page_/);
    expect(queries[2]?.page).not.toBe(queries[1]?.page);
    expect(anthropic.requests.map((request) => [request.headers['x-api-key'], request.headers['anthropic-version']])).toEqual(Array(3).fill([ADMIN_KEY, '2023-06-01']));
  });

  it('returns nothing for a day without usage', async () => {
    await start();
    expect(await source().actorDays('2026-11-02')).toEqual([]);
    expect(anthropic.calls.usageReport).toBe(1);
  });

  it('waits as long as retry-after says on a 429 and backs off on a 500, then carries on', async () => {
    await start();
    anthropic.failNext('usageReport', { status: 429, headers: { 'retry-after': '3' } }, { status: 500 });

    expect(await source().actorDays(DAY)).toHaveLength(5);
    expect(clock.sleeps).toEqual([3000, 1500]);
    expect(anthropic.calls.usageReport).toBe(5);
  });

  it('reads retry-after as an HTTP date against the server clock', async () => {
    await start();
    anthropic.failNext('usageReport', { status: 529, headers: { 'retry-after': httpDate(START + 7000) } });

    await source().actorDays(DAY);
    expect(clock.sleeps).toEqual([7000]);
  });

  it('retries a dropped connection', async () => {
    await start();
    anthropic.failNext('usageReport', { dropConnection: true });

    expect(await source().actorDays(DAY)).toHaveLength(5);
    expect(clock.sleeps).toEqual([750]);
  });

  it('fails once the attempts are spent, naming the last answer', async () => {
    await start();
    anthropic.failNext('usageReport', { status: 503 }, { status: 503 }, { status: 503 });

    const error = await partnerFailure(source({ maxAttempts: 3 }).actorDays(DAY));
    expect(error.message).toBe('Anthropic: GET /v1/organizations/usage_report/claude_code still failing after 3 attempts (last: HTTP 503)');
    expect(error.status).toBe(503);
    expect(clock.sleeps).toEqual([750, 1500]);
  });

  it('fails at once when retry-after asks for longer than the run allows', async () => {
    await start();
    anthropic.failNext('usageReport', { status: 429, headers: { 'retry-after': '600' } });

    const error = await partnerFailure(source().actorDays(DAY));
    expect(error.message).toContain('asked to wait 600 s, more than the 90 s this run allows');
    expect(clock.sleeps).toEqual([]);
  });

  it('says the admin key was rejected on a 401, without retrying', async () => {
    await start();
    const error = await partnerFailure(source({ adminKey: 'sk-ant-admin01-revoked' }).actorDays(DAY));

    expect(error.message).toBe('Anthropic: admin key rejected (HTTP 401): invalid x-api-key');
    expect(error.status).toBe(401);
    expect(anthropic.calls.usageReport).toBe(1);
  });

  it.each([
    [403, 'admin key may not read the Claude Code usage report (HTTP 403): fake error 403'],
    [400, 'GET /v1/organizations/usage_report/claude_code answered HTTP 400: fake error 400'],
    [404, 'GET /v1/organizations/usage_report/claude_code answered HTTP 404: fake error 404'],
  ])('fails at once on HTTP %i', async (status, message) => {
    await start();
    anthropic.failNext('usageReport', { status });

    expect((await partnerFailure(source().actorDays(DAY))).message).toBe(`Anthropic: ${message}`);
    expect(anthropic.calls.usageReport).toBe(1);
  });

  it('keeps the start of a non-JSON error page', async () => {
    await start();
    anthropic.failNext('usageReport', { status: 418, body: '<html>teapot</html>' });

    expect((await partnerFailure(source().actorDays(DAY))).message).toContain('answered HTTP 418: <html>teapot</html>');
  });

  const item = (patch: Record<string, unknown>) => JSON.stringify({ data: [{ ...ITEMS[0], ...patch }], has_more: false, next_page: null });
  const model = (patch: Record<string, unknown>) => item({ model_breakdown: [{ model: 'claude-opus-4-5', tokens: { input: 1, output: 1, cache_read: 0, cache_creation: 0 }, ...patch }] });

  it.each([
    ['<html>bad gateway</html>', 'body is not JSON'],
    ['[]', 'body: expected an object, got []'],
    ['{"data":{},"has_more":false}', 'data: expected an array'],
    ['{"data":[]}', 'has_more: expected true or false, got nothing'],
    ['{"data":[],"has_more":true,"next_page":null}', 'next_page: expected a non-empty string, got null'],
    [item({ date: '2026-11-02T00:00:00Z' }), 'data[0].date: expected the day asked for, 2026-11-03, got "2026-11-02T00:00:00Z"'],
    [item({ date: '2026-11-03T05:00:00Z' }), 'data[0].date: expected the day asked for'],
    [item({ actor: { type: 'service_actor', id: 'x' } }), 'data[0].actor.type: expected one of user_actor, api_actor, got "service_actor"'],
    [item({ actor: { type: 'user_actor', email_address: 'not-an-address' } }), 'data[0].actor.email_address: expected an email address'],
    [item({ actor: { type: 'api_actor' } }), 'data[0].actor.api_key_name: expected a non-empty string, got nothing'],
    [item({ customer_type: 'enterprise' }), 'data[0].customer_type: expected one of api, subscription'],
    [item({ core_metrics: { num_sessions: '4', lines_of_code: { added: 0, removed: 0 }, commits_by_claude_code: 0, pull_requests_by_claude_code: 0 } }), 'data[0].core_metrics.num_sessions: expected a non-negative integer, got "4"'],
    [item({ core_metrics: { num_sessions: 1, commits_by_claude_code: 0, pull_requests_by_claude_code: 0 } }), 'data[0].core_metrics.lines_of_code: expected an object, got nothing'],
    [item({ model_breakdown: null }), 'data[0].model_breakdown: expected an array, got null'],
    [model({ tokens: { input: -1, output: 1, cache_read: 0, cache_creation: 0 } }), 'data[0].model_breakdown[0].tokens.input: expected a non-negative integer, got -1'],
    [model({ tokens: { input: 1, output: 1, cache_read: 0 } }), 'data[0].model_breakdown[0].tokens.cache_creation: expected a non-negative integer, got nothing'],
    [model({ model: '' }), 'data[0].model_breakdown[0].model: expected a non-empty string'],
    [model({ estimated_cost: { currency: 'EUR', amount: 10 } }), 'data[0].model_breakdown[0].estimated_cost.currency: expected one of USD, got "EUR"'],
    [model({ estimated_cost: { currency: 'USD', amount: '186' } }), 'data[0].model_breakdown[0].estimated_cost.amount: expected a non-negative number, got "186"'],
  ])('refuses a body that is not the documented shape: %s', async (body, message) => {
    await start();
    anthropic.failNext('usageReport', { status: 200, body });

    const error = await partnerFailure(source().actorDays(DAY));
    expect(error.message).toContain(`unexpected GET /v1/organizations/usage_report/claude_code answer for ${DAY}: ${message}`);
  });

  it('stops when a cursor comes back, instead of reading the same pages forever', async () => {
    await start();
    const looping = JSON.stringify({ data: [], has_more: true, next_page: 'page_again' });
    anthropic.failNext('usageReport', { status: 200, body: looping }, { status: 200, body: looping });

    expect((await partnerFailure(source().actorDays(DAY))).message).toContain('returned the page cursor "page_again" twice; stopped a pagination loop');
    expect(anthropic.calls.usageReport).toBe(2);
  });

  it.each(['2026-11-3', '2026-02-30', 'yesterday'])('refuses the day "%s" before calling the API', async (day) => {
    await start();
    await expect(source().actorDays(day)).rejects.toThrow(new PartnerConfigError(`day must be a calendar day as YYYY-MM-DD, got "${day}"`));
    expect(anthropic.calls.usageReport).toBe(0);
  });
});
