import { describe, expect, it } from 'vitest';
import { normalizeRequest } from '../../lambdas/normalize/normalize.ts';
import { Temporality } from '../../lambdas/otlp/types.ts';
import { PriceBook } from '../../lambdas/pricing/price-book.ts';
import { priceRecords } from '../../lambdas/pricing/price-records.ts';
import { at, logRecord, logsRequest, metricsRequest, sumMetric, sumPoint } from './builders.ts';

const pricer = new PriceBook({ version: 'test', models: [] });
const resource = { 'service.name': 'claude-code', 'service.version': '2.1.197', 'user.email': 'Dev@Example.com', 'service.namespace': 'demo-repo' };
const common = { 'session.id': 's-1', 'user.id': 'u-1', 'terminal.type': 'vscode', 'organization.id': 'org-1' };
const call = { ...common, model: 'claude-opus-4-8[1m]', query_source: 'main' };

function tokenPoints(values: Record<string, number | null>, time: bigint) {
  return Object.entries(values).map(([type, value]) => sumPoint({ ...call, type }, value, time));
}

describe('Claude Code metrics', () => {
  it('merges the four token points and the cost point of one call into one priced usage record', () => {
    const request = metricsRequest(resource, [
      sumMetric('claude_code.token.usage', tokenPoints({ input: 1234, output: 56, cacheRead: 7000, cacheCreation: 300 }, at(1))),
      sumMetric('claude_code.cost.usage', [sumPoint(call, 0.012945, at(1))]),
    ]);
    const result = normalizeRequest(request, new Map());
    expect(result.records).toHaveLength(1);
    expect(result.records[0]).toMatchObject({
      kind: 'usage',
      tool: 'claude_code',
      user_email: 'dev@example.com',
      user_id: 'u-1',
      organization_id: 'org-1',
      repo: 'demo-repo',
      session_id: 's-1',
      terminal: 'vscode',
      client_version: '2.1.197',
      model: 'claude-opus-4-8',
      input_tokens: 1234,
      cache_read_tokens: 7000,
      cache_write_tokens: 300,
      output_tokens: 56,
      reasoning_tokens: 0,
      reported_cost_usd: 0.012945,
      time_ms: Date.parse('2026-11-22T10:00:01Z'),
    });
    expect(priceRecords(result.records, pricer).records[0]).toHaveProperty('estimated_cost_usd', expect.closeTo(0.012945, 12));
    expect(result.accepted).toBe(5);
  });

  it('gives the same record the same id when the request is sent again', () => {
    const request = metricsRequest(resource, [sumMetric('claude_code.token.usage', tokenPoints({ input: 10, output: 1 }, at(1)))]);
    const first = normalizeRequest(request, new Map()).records[0];
    const again = normalizeRequest(request, new Map()).records[0];
    expect(again?.id).toBe(first?.id);
  });

  it('rejects absurd values point by point and keeps the rest', () => {
    const request = metricsRequest(resource, [
      sumMetric('claude_code.token.usage', tokenPoints({ input: 100, output: -5, cacheRead: Number.NaN, cacheCreation: 1e18 }, at(1))),
      sumMetric('claude_code.token.usage', tokenPoints({ input: Number.POSITIVE_INFINITY }, at(2))),
    ]);
    const result = normalizeRequest(request, new Map());
    expect(result.records).toMatchObject([{ input_tokens: 100, output_tokens: 0, cache_read_tokens: 0, cache_write_tokens: 0 }]);
    expect(Object.fromEntries(result.rejected)).toEqual({
      'claude_code.token.usage: negative value': 1,
      'claude_code.token.usage: value is not a number': 1,
      'claude_code.token.usage: value above 10000000000': 1,
      'claude_code.token.usage: value is infinite': 1,
    });
  });

  it('rejects an unknown token type instead of guessing its price', () => {
    const result = normalizeRequest(
      metricsRequest(resource, [sumMetric('claude_code.token.usage', tokenPoints({ input: 5, cacheWrite1h: 9 }, at(1)))]),
      new Map(),
    );
    expect(result.records).toMatchObject([{ input_tokens: 5, cache_write_tokens: 0 }]);
    expect(Object.fromEntries(result.rejected)).toEqual({ 'claude_code.token.usage: unknown type "cacheWrite1h"': 1 });
  });

  it('rejects token points without a model', () => {
    const result = normalizeRequest(
      metricsRequest(resource, [sumMetric('claude_code.token.usage', [sumPoint({ ...common, type: 'input' }, 5, at(1))])]),
      new Map(),
    );
    expect(result.records).toEqual([]);
    expect(Object.fromEntries(result.rejected)).toEqual({ 'token usage without a model': 1 });
  });

  it('maps activity metrics', () => {
    const request = metricsRequest(resource, [
      sumMetric('claude_code.session.count', [sumPoint({ ...common, start_type: 'fresh' }, 1, at(1))]),
      sumMetric('claude_code.lines_of_code.count', [sumPoint({ ...common, type: 'added' }, 12, at(1)), sumPoint({ ...common, type: 'removed' }, 3, at(1))]),
      sumMetric('claude_code.commit.count', [sumPoint(common, 2, at(1))]),
      sumMetric('claude_code.pull_request.count', [sumPoint(common, 1, at(1))]),
      sumMetric('claude_code.active_time.total', [sumPoint({ ...common, type: 'user' }, 30, at(1)), sumPoint({ ...common, type: 'cli' }, 4.5, at(1))]),
      sumMetric('claude_code.code_edit_tool.decision', [
        sumPoint({ ...common, decision: 'accept', tool_name: 'Edit' }, 3, at(1)),
        sumPoint({ ...common, decision: 'reject', tool_name: 'Write' }, 1, at(1)),
        sumPoint({ ...common, decision: 'maybe', tool_name: 'Write' }, 1, at(1)),
      ]),
    ]);
    const result = normalizeRequest(request, new Map());
    expect(result.records.map((r) => (r.kind === 'activity' ? [r.metric, r.value, r.detail] : r.kind))).toEqual([
      ['sessions', 1, null],
      ['lines_added', 12, null],
      ['lines_removed', 3, null],
      ['commits', 2, null],
      ['pull_requests', 1, null],
      ['active_time_user_s', 30, null],
      ['active_time_cli_s', 4.5, null],
      ['edit_accepted', 3, 'Edit'],
      ['edit_rejected', 1, 'Write'],
    ]);
    expect(Object.fromEntries(result.rejected)).toEqual({ 'claude_code.code_edit_tool.decision: point measures no known activity': 1 });
  });

  it('counts unknown metrics instead of dropping them silently', () => {
    const result = normalizeRequest(metricsRequest(resource, [sumMetric('claude_code.new_thing', [sumPoint(common, 1, at(1))])]), new Map());
    expect(Object.fromEntries(result.unknown)).toEqual({ 'claude_code.new_thing': 1 });
  });
});

describe('cumulative temporality', () => {
  const snapshot = (input: number, time: bigint, start = at(0)) =>
    metricsRequest(resource, [sumMetric('claude_code.token.usage', [sumPoint({ ...call, type: 'input' }, input, time, start)], Temporality.Cumulative)]);

  function run(requests: ReturnType<typeof snapshot>[]) {
    const state = new Map();
    return requests.map((request) => {
      const result = normalizeRequest(request, state);
      for (const [key, value] of result.stateUpdates) state.set(key, value);
      return result.records.map((r) => (r.kind === 'usage' ? r.input_tokens : -1));
    });
  }

  it('counts the first point in full and then only the growth', () => {
    expect(run([snapshot(100, at(1)), snapshot(250, at(2)), snapshot(250, at(3))])).toEqual([[100], [150], []]);
  });

  it('adds nothing when the same snapshot arrives again, or an older one late', () => {
    expect(run([snapshot(100, at(1)), snapshot(250, at(2)), snapshot(250, at(2)), snapshot(100, at(1))])).toEqual([[100], [150], [], []]);
  });

  it('treats a lower value or a new start time as a reset', () => {
    expect(run([snapshot(100, at(1)), snapshot(40, at(2)), snapshot(30, at(3), at(2))])).toEqual([[100], [40], [30]]);
  });

  it('rejects points whose temporality is unspecified', () => {
    const request = metricsRequest(resource, [sumMetric('claude_code.token.usage', [sumPoint({ ...call, type: 'input' }, 1, at(1))], Temporality.Unspecified)]);
    expect(Object.fromEntries(normalizeRequest(request, new Map()).rejected)).toEqual({
      'claude_code.token.usage: aggregation temporality unspecified': 1,
    });
  });
});

describe('Claude Code events', () => {
  const apiRequest = {
    ...common,
    'event.name': 'api_request',
    model: 'claude-opus-4-8',
    input_tokens: 1234,
    output_tokens: 56,
    cache_read_tokens: 7000,
    cache_creation_tokens: 300,
    cost_usd: 0.012945,
    duration_ms: 900,
    request_id: 'req_1',
  };

  it('turns api_request into a request record and a request count, never into usage', () => {
    const result = normalizeRequest(logsRequest(resource, [logRecord(apiRequest, at(1))]), new Map());
    expect(result.records.map((r) => r.kind)).toEqual(['request', 'activity']);
    expect(result.records[0]).toMatchObject({ event: 'api_request', request_id: 'req_1', input_tokens: 1234, reported_cost_usd: 0.012945, duration_ms: 900 });
  });

  it('counts api_error as a request and an error', () => {
    const error = { ...common, 'event.name': 'api_error', model: 'claude-opus-4-8', status_code: 529, error: 'Overloaded' };
    const result = normalizeRequest(logsRequest(resource, [logRecord(error, at(1))]), new Map());
    expect(result.records.map((r) => (r.kind === 'activity' ? r.metric : r.kind))).toEqual(['request', 'api_requests', 'api_errors']);
    expect(result.records[0]).toMatchObject({ status_code: 529, error: 'Overloaded' });
  });

  it('rejects an event with absurd token counts and stores nothing of it', () => {
    const result = normalizeRequest(logsRequest(resource, [logRecord({ ...apiRequest, input_tokens: 'lots' }, at(1))]), new Map());
    expect(result.records).toEqual([]);
    expect(Object.fromEntries(result.rejected)).toEqual({ 'api_request: input_tokens: value is not a number': 1 });
  });

  it('counts events it knows but does not meter, and unknown ones separately', () => {
    const result = normalizeRequest(
      logsRequest(resource, [logRecord({ ...common, 'event.name': 'user_prompt', prompt: 'secret' }, at(1)), logRecord({ 'event.name': 'brand_new' }, at(1))]),
      new Map(),
    );
    expect(result.records).toEqual([]);
    expect(Object.fromEntries(result.ignored)).toEqual({ user_prompt: 1 });
    expect(Object.fromEntries(result.unknown)).toEqual({ brand_new: 1 });
  });
});

describe('record identity', () => {
  it('keeps two delta exports of one series apart when they share a millisecond', () => {
    const first = metricsRequest(resource, [sumMetric('claude_code.token.usage', [sumPoint({ ...call, type: 'input' }, 1234, at(5), at(1))])]);
    const second = metricsRequest(resource, [sumMetric('claude_code.token.usage', [sumPoint({ ...call, type: 'input' }, 1234, at(5), at(5))])]);
    const ids = [first, second].map((request) => normalizeRequest(request, new Map()).records[0]?.id);
    expect(new Set(ids).size).toBe(2);
  });
});
