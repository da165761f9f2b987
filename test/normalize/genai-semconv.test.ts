import { describe, expect, it } from 'vitest';
import { normalizeRequest } from '../../lambdas/normalize/normalize.ts';
import { Temporality } from '../../lambdas/otlp/types.ts';
import { at, metricsRequest } from './builders.ts';

describe('GenAI semantic conventions (e.g. GitHub Copilot)', () => {
  it('meters gen_ai.client.token.usage histogram sums under the service name', () => {
    const point = (type: string, sum: number | null) => ({
      attributes: { 'gen_ai.token.type': type, 'gen_ai.request.model': 'gpt-5', 'gen_ai.response.model': 'openai/gpt-5', 'gen_ai.provider.name': 'github' },
      startTimeUnixNano: at(0),
      timeUnixNano: at(1),
      count: 1,
      sum,
    });
    const request = metricsRequest({ 'service.name': 'copilot-chat', 'service.version': '0.59.0', 'session.id': 'w-1' }, [
      { name: 'gen_ai.client.token.usage', unit: '{token}', data: { kind: 'histogram', temporality: Temporality.Delta, points: [point('input', 1000), point('output', 50), point('output', null)] } },
    ]);
    const result = normalizeRequest(request, new Map());
    expect(result.records).toMatchObject([
      { kind: 'usage', tool: 'copilot-chat', model: 'gpt-5', session_id: 'w-1', client_version: '0.59.0', input_tokens: 1000, output_tokens: 50, cache_read_tokens: 0 },
    ]);
    expect(Object.fromEntries(result.rejected)).toEqual({ 'gen_ai.client.token.usage: missing value': 1 });
  });

  it('rejects a gauge, which cannot carry usage', () => {
    const request = metricsRequest({ 'service.name': 'my-agent' }, [
      { name: 'gen_ai.client.token.usage', unit: '', data: { kind: 'gauge', points: [{ attributes: {}, startTimeUnixNano: 0n, timeUnixNano: at(1), value: 3 }] } },
    ]);
    expect(Object.fromEntries(normalizeRequest(request, new Map()).rejected)).toEqual({
      'gen_ai.client.token.usage: a gauge cannot carry usage, expected a sum or histogram': 1,
    });
  });
});
