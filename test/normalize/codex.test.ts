import { describe, expect, it } from 'vitest';
import { normalizeRequest } from '../../lambdas/normalize/normalize.ts';
import { PriceBook } from '../../lambdas/pricing/price-book.ts';
import { priceRecords } from '../../lambdas/pricing/price-records.ts';
import { at, logRecord, logsRequest, metricsRequest, sumMetric, sumPoint } from './builders.ts';

const pricer = new PriceBook({ version: 'test', models: [] });
const resource = { 'service.name': 'codex_exec', 'service.version': '0.169.0', 'user.email': 'ada@example.com' };
const common = { 'conversation.id': 'c-1', 'app.version': '0.169.0', 'terminal.type': 'dumb', model: 'gpt-5', slug: 'gpt-5' };
const completed = {
  ...common,
  'event.name': 'codex.sse_event',
  'event.kind': 'response.completed',
  input_token_count: '2500',
  output_token_count: '77',
  cached_token_count: 2048,
  cache_write_token_count: 0,
  reasoning_token_count: 33,
  tool_token_count: '2577',
};

describe('Codex events', () => {
  it('takes tokens from the token-bearing response.completed event with OpenAI semantics', () => {
    const result = normalizeRequest(logsRequest(resource, [logRecord(completed, 0n, at(1))]), new Map());
    expect(result.records.map((r) => r.kind)).toEqual(['usage', 'request']);
    expect(result.records[0]).toMatchObject({
      tool: 'codex',
      user_email: 'ada@example.com',
      session_id: 'c-1',
      client_version: '0.169.0',
      model: 'gpt-5',
      input_tokens: 452,
      cache_read_tokens: 2048,
      cache_write_tokens: 0,
      output_tokens: 77,
      reasoning_tokens: 33,
      reported_cost_usd: null,
      time_ms: Date.parse('2026-11-22T10:00:01Z'),
    });
    expect(priceRecords(result.records, pricer).records[0]).toHaveProperty('estimated_cost_usd', expect.closeTo(0.001591, 12));
  });

  it('ignores the token-less response.completed twin', () => {
    const twin = { ...common, 'event.name': 'codex.sse_event', 'event.kind': 'response.completed', duration_ms: '0' };
    const result = normalizeRequest(logsRequest(resource, [logRecord(twin, 0n, at(1))]), new Map());
    expect(result.records).toEqual([]);
    expect(Object.fromEntries(result.ignored)).toEqual({ 'codex.sse_event': 1 });
  });

  it('rejects cached tokens above input', () => {
    const result = normalizeRequest(logsRequest(resource, [logRecord({ ...completed, cached_token_count: 9999 }, 0n, at(1))]), new Map());
    expect(result.records).toEqual([]);
    expect(Object.fromEntries(result.rejected)).toEqual({ 'codex.sse_event: cached input tokens exceed input tokens': 1 });
  });

  it('rejects a record with no time at all', () => {
    const result = normalizeRequest(logsRequest(resource, [logRecord(completed, 0n, 0n)]), new Map());
    expect(Object.fromEntries(result.rejected)).toEqual({ 'codex.sse_event: no timestamp': 1 });
  });

  it('counts sessions and failed requests from events', () => {
    const result = normalizeRequest(
      logsRequest(resource, [
        logRecord({ ...common, 'event.name': 'codex.conversation_starts' }, 0n, at(1)),
        logRecord({ ...common, 'event.name': 'codex.api_request', 'http.response.status_code': 200 }, 0n, at(2)),
        logRecord({ ...common, 'event.name': 'codex.api_request', 'http.response.status_code': '429' }, 0n, at(3)),
      ]),
      new Map(),
    );
    expect(result.records.map((r) => (r.kind === 'activity' ? r.metric : r.kind))).toEqual(['sessions', 'api_requests', 'api_requests', 'api_errors']);
  });

  it('does not meter Codex metrics: the token histogram repeats the events', () => {
    const result = normalizeRequest(
      metricsRequest(resource, [sumMetric('codex.turn.token_usage', [sumPoint({ ...common, token_type: 'input' }, 2500, at(1))])]),
      new Map(),
    );
    expect(result.records).toEqual([]);
    expect(Object.fromEntries(result.ignored)).toEqual({ 'codex.turn.token_usage': 1 });
  });
});
