import { describe, expect, it } from 'vitest';
import { decodeOtlpRequest } from '../../lambdas/otlp/decode.ts';
import type { DecodedRequest, LogRecord, Metric } from '../../lambdas/otlp/types.ts';
import { Temporality } from '../../lambdas/otlp/types.ts';
import { CAPTURES, itemCount, loadCapture, loadReferenceJson } from '../support/captures.ts';

function decodeCapture(id: string, pathHint?: string): ReturnType<typeof decodeOtlpRequest> {
  const capture = loadCapture(id);
  return decodeOtlpRequest({
    body: capture.body,
    contentType: capture.contentType,
    contentEncoding: capture.contentEncoding,
    pathHint: pathHint ?? capture.path,
  });
}

function metrics(request: DecodedRequest): Metric[] {
  return request.signal === 'metrics' ? request.resources.flatMap((r) => r.scopes.flatMap((s) => s.items)) : [];
}

function logRecords(request: DecodedRequest): LogRecord[] {
  return request.signal === 'logs' ? request.resources.flatMap((r) => r.scopes.flatMap((s) => s.items)) : [];
}

function metricNamed(request: DecodedRequest, name: string): Metric | undefined {
  return metrics(request).find((metric) => metric.name === name);
}

describe('captured client requests', () => {
  it.each(CAPTURES)('%s holds %s with %i items', (id, signal, items) => {
    const { request } = decodeCapture(id);
    expect(request.signal).toBe(signal);
    expect(itemCount(request)).toBe(items);
  });

  it.each(CAPTURES)('%s is detected as %s whatever path it arrives on', (id, signal) => {
    const paths = ['/v1/metrics', '/v1/logs', '/v1/traces', '/', '/otlp', ''];
    expect(paths.map((path) => decodeCapture(id, path).request.signal)).toEqual(paths.map(() => signal));
  });

  it.each(CAPTURES)('%s reports its encoding and received size', (id) => {
    const capture = loadCapture(id);
    const decoded = decodeCapture(id);
    expect(decoded.encoding).toBe(capture.contentType === 'application/json' ? 'json' : 'protobuf');
    expect(decoded.bodyBytes).toBe(capture.body.byteLength);
  });

  it('sees the Codex metrics and traces posted to /v1/logs for what they are', () => {
    expect(decodeCapture('codex/codex-same-url-for-all/001-v1_logs').request.signal).toBe('traces');
    expect(decodeCapture('codex/codex-same-url-for-all/002-v1_logs').request.signal).toBe('metrics');
  });

  it('reports the gzip body size as received, not inflated', () => {
    expect(decodeCapture('claude/claude-protobuf-delta-gzip/002-v1_metrics').bodyBytes).toBe(771);
  });
});

describe('protobuf and OTLP JSON give the same model', () => {
  it.each([
    ['claude/claude-protobuf-delta/001-v1_logs', 'claude/claude-protobuf-delta/001-v1_logs.decoded.json'],
    ['claude/claude-protobuf-delta/002-v1_metrics', 'claude/claude-protobuf-delta/002-v1_metrics.decoded.json'],
    ['codex/codex-binary/002-v1_metrics', 'codex/codex-binary/002-v1_metrics.decoded.json.gz'],
    ['codex/codex-binary/003-v1_logs', 'codex/codex-binary/003-v1_logs.decoded.json'],
  ])('%s equals its JSON rendering', (id, reference) => {
    const fromProtobuf = decodeCapture(id).request;
    const fromJson = decodeOtlpRequest({ body: loadReferenceJson(reference), contentType: 'application/json' }).request;
    expect(fromJson).toStrictEqual(fromProtobuf);
  });
});

describe('captured values survive decoding', () => {
  it('reads Claude token usage as delta monotonic sums', () => {
    const tokens = metricNamed(decodeCapture('claude/claude-protobuf-delta/002-v1_metrics').request, 'claude_code.token.usage');
    expect(tokens?.data).toMatchObject({ kind: 'sum', temporality: Temporality.Delta, monotonic: true });
    const points = tokens?.data.kind === 'sum' ? tokens.data.points : [];
    expect(Object.fromEntries(points.map((point) => [point.attributes['type'], point.value]))).toEqual({
      input: 1234,
      output: 56,
      cacheRead: 7000,
      cacheCreation: 300,
    });
    expect(points.map((point) => point.attributes['model'])).toEqual(points.map(() => 'claude-opus-4-8[1m]'));
  });

  it('reads Claude JSON integers sent as numbers and times sent as strings', () => {
    const record = logRecords(decodeCapture('claude/claude-json-delta/001-v1_logs').request).find(
      (log) => log.attributes['event.name'] === 'api_request',
    );
    expect(record?.attributes).toMatchObject({ input_tokens: 1234, output_tokens: 56, cache_read_tokens: 7000, cost_usd: 0.012945 });
    expect(typeof record?.timeUnixNano).toBe('bigint');
    expect(record?.timeUnixNano).toBeGreaterThan(1_700_000_000_000_000_000n);
  });

  it.each(['codex/codex-binary/002-v1_metrics', 'codex/codex-json/002-v1_metrics'])('reads the Codex token histogram of %s', (id) => {
    const usage = metricNamed(decodeCapture(id).request, 'codex.turn.token_usage');
    const points = usage?.data.kind === 'histogram' ? usage.data.points : [];
    expect(usage?.data).toMatchObject({ kind: 'histogram', temporality: Temporality.Delta });
    expect(Object.fromEntries(points.map((point) => [point.attributes['token_type'], [point.count, point.sum]]))).toEqual({
      input: [1, 2500],
      cached_input: [1, 2048],
      cache_write_input: [1, 0],
      output: [1, 77],
      reasoning_output: [1, 33],
      total: [1, 2577],
    });
  });

  it.each(['codex/codex-binary/003-v1_logs', 'codex/codex-json/003-v1_logs'])('keeps the zero timeUnixNano of Codex log records in %s', (id) => {
    const records = logRecords(decodeCapture(id).request);
    expect(records.map((record) => record.timeUnixNano)).toEqual(records.map(() => 0n));
    expect(records.every((record) => record.observedTimeUnixNano > 1_700_000_000_000_000_000n)).toBe(true);
  });

  it('accepts Codex JSON "body": null and keeps no body in the model', () => {
    const records = logRecords(decodeCapture('codex/codex-json/003-v1_logs').request);
    expect(records).toHaveLength(19);
    expect(records.filter((record) => 'body' in record)).toEqual([]);
  });

  it('drops prompt text and the command line before anything else sees them', () => {
    const decoded = decodeCapture('gemini/gemini-http-json/002-v1_logs').request;
    const text = JSON.stringify(decoded, (_key, value: unknown) => (typeof value === 'bigint' ? String(value) : value));
    expect(text).not.toContain('say hi');
    expect(text).not.toContain('process.command_args');
    expect(text).not.toContain('gen_ai.system_instructions');
  });

  it('reads the Codex token event with its string and int counts', () => {
    const records = logRecords(decodeCapture('codex/codex-single-logs-url/001-v1_logs').request);
    const completed = records.find((record) => record.attributes['input_token_count'] !== undefined);
    expect(completed?.attributes).toMatchObject({
      'event.name': 'codex.sse_event',
      'event.kind': 'response.completed',
      input_token_count: '2500',
      cached_token_count: 2048,
      reasoning_token_count: 33,
    });
  });

  it('reads the empty AnyValues Gemini sends as null attributes', () => {
    const records = logRecords(decodeCapture('gemini/gemini-http-json/002-v1_logs').request);
    const withEmpty = records.filter((record) => Object.hasOwn(record.attributes, 'gen_ai.request.max_tokens'));
    expect(withEmpty).toHaveLength(4);
    expect(withEmpty.map((record) => record.attributes['gen_ai.request.max_tokens'])).toEqual([null, null, null, null]);
  });

  it('reads Gemini cumulative token sums with asInt numbers', () => {
    const tokens = metricNamed(decodeCapture('gemini/gemini-http-json/003-v1_metrics').request, 'gemini_cli.token.usage');
    const points = tokens?.data.kind === 'sum' ? tokens.data.points : [];
    expect(tokens?.data).toMatchObject({ kind: 'sum', temporality: Temporality.Cumulative, monotonic: true });
    expect(points.filter((point) => point.attributes['model'] === 'gemini-3.8-flash').map((point) => [point.attributes['type'], point.value])).toEqual([
      ['input', 4321],
      ['output', 65],
      ['cache', 4000],
      ['thought', 21],
      ['tool', 0],
    ]);
  });
});
