import { describe, expect, it } from 'vitest';
import { normalizeRequest } from '../../lambdas/normalize/normalize.ts';
import { Temporality } from '../../lambdas/otlp/types.ts';
import type { HistogramDataPoint } from '../../lambdas/otlp/types.ts';
import { PriceBook } from '../../lambdas/pricing/price-book.ts';
import { priceRecords } from '../../lambdas/pricing/price-records.ts';
import { at, logRecord, logsRequest, metricsRequest, sumMetric, sumPoint } from './builders.ts';

const pricer = new PriceBook({ version: 'test', models: [] });
const resource = { 'service.name': 'gemini-cli', 'service.version': 'v20.20.2', 'session.id': 'g-1', 'user.email': 'dev@example.com' };
const common = { 'session.id': 'g-1', 'installation.id': 'i-1', interactive: false };

function histogram(name: string, points: HistogramDataPoint[]) {
  return { name, unit: 'token', data: { kind: 'histogram' as const, temporality: Temporality.Cumulative, points } };
}

describe('Gemini CLI metrics', () => {
  it('subtracts cache from input, adds thoughts to output, and skips the semconv duplicate', () => {
    const tokens = { input: 4321, output: 65, cache: 4000, thought: 21, tool: 0 };
    const request = metricsRequest(resource, [
      sumMetric(
        'gemini_cli.token.usage',
        Object.entries(tokens).map(([type, value]) => sumPoint({ ...common, model: 'gemini-2.5-pro', type }, value, at(5), at(1))),
        Temporality.Cumulative,
      ),
      histogram('gen_ai.client.token.usage', [
        { attributes: { ...common, 'gen_ai.token.type': 'input', 'gen_ai.request.model': 'gemini-2.5-pro' }, startTimeUnixNano: at(1), timeUnixNano: at(5), count: 1, sum: 4321 },
      ]),
    ]);
    const result = normalizeRequest(request, new Map());
    expect(result.records).toHaveLength(1);
    expect(result.records[0]).toMatchObject({
      tool: 'gemini_cli',
      client_version: null,
      session_id: 'g-1',
      model: 'gemini-2.5-pro',
      input_tokens: 321,
      cache_read_tokens: 4000,
      output_tokens: 86,
      reasoning_tokens: 21,
    });
    expect(priceRecords(result.records, pricer).records[0]).toHaveProperty('estimated_cost_usd', expect.closeTo(0.00176125, 12));
    expect(Object.fromEntries(result.ignored)).toEqual({ 'gen_ai.client.token.usage': 1 });
  });

  it('counts tool-use prompt tokens as input', () => {
    const request = metricsRequest(resource, [
      sumMetric('gemini_cli.token.usage', [sumPoint({ ...common, model: 'gemini-2.5-pro', type: 'tool' }, 40, at(5))]),
    ]);
    expect(normalizeRequest(request, new Map()).records).toMatchObject([{ input_tokens: 40 }]);
  });

  it('rejects a call whose cache exceeds its input', () => {
    const request = metricsRequest(resource, [
      sumMetric('gemini_cli.token.usage', [
        sumPoint({ ...common, model: 'gemini-2.5-pro', type: 'input' }, 10, at(5)),
        sumPoint({ ...common, model: 'gemini-2.5-pro', type: 'cache' }, 20, at(5)),
      ]),
    ]);
    const result = normalizeRequest(request, new Map());
    expect(result.records).toEqual([]);
    expect(Object.fromEntries(result.rejected)).toEqual({ 'input_tokens: negative value': 2 });
  });

  it('counts failed API requests as requests and errors', () => {
    const request = metricsRequest(resource, [
      sumMetric('gemini_cli.api.request.count', [
        sumPoint({ ...common, model: 'gemini-2.5-pro', status_code: 200 }, 3, at(5)),
        sumPoint({ ...common, model: 'gemini-2.5-pro', status_code: 429 }, 1, at(5)),
      ]),
    ]);
    const result = normalizeRequest(request, new Map());
    expect(result.records.map((r) => (r.kind === 'activity' ? [r.metric, r.value] : r.kind))).toEqual([
      ['api_requests', 3],
      ['api_requests', 1],
      ['api_errors', 1],
    ]);
  });
});

describe('Gemini CLI events', () => {
  it('keeps api_response as a request record only', () => {
    const event = {
      ...common,
      'event.name': 'gemini_cli.api_response',
      model: 'gemini-3.8-flash',
      duration_ms: 70,
      input_token_count: 4321,
      output_token_count: 65,
      cached_content_token_count: 4000,
      thoughts_token_count: 21,
      tool_token_count: 0,
      status_code: 200,
      prompt_id: 'p-1',
    };
    const result = normalizeRequest(logsRequest(resource, [logRecord(event, at(1))]), new Map());
    expect(result.records).toMatchObject([
      { kind: 'request', event: 'gemini_cli.api_response', input_tokens: 321, cache_read_tokens: 4000, output_tokens: 86, reasoning_tokens: 21, status_code: 200 },
    ]);
  });
});
