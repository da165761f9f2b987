import { describe, expect, it } from 'vitest';
import { decodeOtlpRequest } from '../../lambdas/otlp/decode.ts';
import { loadCapture } from '../support/captures.ts';
import { outcomeOf } from './outcome.ts';
import { concat, exportRequest, fixed64Field, lenField, tag, varintBytes } from './wire.ts';

function decodeAs(contentType: string, body: Uint8Array | string): () => unknown {
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  return () => decodeOtlpRequest({ body: bytes, contentType });
}

/** Deterministic bytes (xorshift32), so every run tries the same inputs. */
function pseudoRandomBytes(seed: number, length: number): Uint8Array {
  let state = seed;
  return Uint8Array.from({ length }, () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state & 0xff;
  });
}

const TYPED_CODES = ['decoded', 'malformed_protobuf', 'malformed_json', 'unknown_signal'];

describe('malformed protobuf', () => {
  const logs = loadCapture('claude/claude-protobuf-delta/001-v1_logs').body;
  const metrics = loadCapture('codex/codex-binary/002-v1_metrics').body;
  const traces = loadCapture('codex/codex-binary/001-v1_traces').body;
  const logItem = fixed64Field(1, 1n);

  it.each([
    ['a truncated log request', logs.subarray(0, logs.length - 7)],
    ['a truncated metrics request', metrics.subarray(0, metrics.length / 2)],
    ['a truncated trace request', traces.subarray(0, traces.length - 1)],
    ['a lone tag', tag(1, 2)],
    ['a length running past the body', concat(tag(1, 2), varintBytes(100), new Uint8Array(3))],
    ['an item running past its scope', lenField(1, lenField(2, concat(tag(2, 2), varintBytes(50), logItem)))],
    ['an unterminated varint', Uint8Array.from([0x08, 0xff, 0xff])],
    ['field number 0', Uint8Array.from([0x00, 0x01])],
    ['wire type 6', Uint8Array.from([0x0e, 0x01])],
    ['wire type 7 inside an item', exportRequest(concat(logItem, Uint8Array.from([0x0f])))],
    ['an end-group tag with no group', Uint8Array.from([0x0c])],
    ['an unterminated group', exportRequest(concat(logItem, tag(20, 3), tag(21, 0), varintBytes(1)))],
    ['bytes of text', new TextEncoder().encode('this is not protobuf')],
    ['a JSON body labelled protobuf', new TextEncoder().encode('{"resourceLogs":[]}')],
  ])('refuses %s', (_name, body) => {
    expect(outcomeOf(decodeAs('application/x-protobuf', body))).toBe('malformed_protobuf');
  });

  it('refuses AnyValues nested beyond the protobuf recursion limit', () => {
    const nested = Array.from({ length: 120 }).reduce<Uint8Array>((inner) => lenField(5, lenField(1, inner)), new Uint8Array(0));
    expect(outcomeOf(decodeAs('application/x-protobuf', exportRequest(lenField(5, nested))))).toBe('malformed_protobuf');
  });

  it('answers random bytes with a typed error or a decode, never anything else', () => {
    const outcomes = Array.from({ length: 300 }, (_, seed) => outcomeOf(decodeAs('application/x-protobuf', pseudoRandomBytes(seed + 1, 1 + (seed % 97)))));
    expect(outcomes.filter((outcome) => !TYPED_CODES.includes(outcome))).toEqual([]);
  });

  it.each([
    'claude/claude-protobuf-delta/001-v1_logs',
    'claude/claude-protobuf-delta/002-v1_metrics',
    'codex/codex-binary/001-v1_traces',
    'codex/codex-binary/002-v1_metrics',
    'codex/codex-binary/003-v1_logs',
  ])('answers truncations and byte flips of %s with a typed error or a decode', (id) => {
    const body = loadCapture(id).body;
    const cuts = Array.from({ length: 40 }, (_, index) => body.subarray(0, Math.floor((index * body.length) / 40)));
    const flips = Array.from({ length: 40 }, (_, index) => {
      const flipped = body.slice();
      const at = (index * 7919) % body.length;
      flipped[at] = (flipped[at] ?? 0) ^ 0x5a;
      return flipped;
    });
    const outcomes = [...cuts, ...flips].map((variant) => outcomeOf(decodeAs('application/x-protobuf', variant)));
    expect(outcomes.filter((outcome) => !TYPED_CODES.includes(outcome))).toEqual([]);
  });
});

describe('malformed JSON', () => {
  it.each([
    ['an empty body', ''],
    ['a syntax error', '{"resourceMetrics": ['],
    ['trailing garbage', '{"resourceMetrics": []} x'],
    ['a top-level array', '[]'],
    ['a top-level string', '"resourceMetrics"'],
    ['a top-level null', 'null'],
    ['a resource list that is a string', '{"resourceMetrics":"x"}'],
    ['a resource that is a number', '{"resourceMetrics":[1]}'],
    ['a scope list that is an object', '{"resourceLogs":[{"scopeLogs":{}}]}'],
    ['a metric that is a string', '{"resourceMetrics":[{"scopeMetrics":[{"metrics":["x"]}]}]}'],
    ['a sum that is an array', '{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"m","sum":[]}]}]}]}'],
    ['a null data point', '{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"m","gauge":{"dataPoints":[null]}}]}]}]}'],
    ['a time that is an object', '{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":{}}]}]}]}'],
    ['a negative time', '{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":"-5"}]}]}]}'],
    ['a time beyond 64 bits', '{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":"18446744073709551616"}]}]}]}'],
    ['a fractional time', '{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"observedTimeUnixNano":1.5}]}]}]}'],
    ['an asInt that is not an integer', '{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"m","gauge":{"dataPoints":[{"asInt":"12a"}]}}]}]}]}'],
    ['an asDouble that is a word', '{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"m","gauge":{"dataPoints":[{"asDouble":"lots"}]}}]}]}]}'],
    ['a histogram count that is negative', '{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"m","histogram":{"dataPoints":[{"count":-1}]}}]}]}]}'],
    ['a stringValue that is a number', '{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"attributes":[{"key":"k","value":{"stringValue":5}}]}]}]}]}'],
    ['an AnyValue that is a bare string', '{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"attributes":[{"key":"k","value":"hi"}]}]}]}]}'],
    ['attributes that are an object', '{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"attributes":{"a":1}}]}]}]}'],
    ['an attribute key that is a number', '{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"attributes":[{"key":3,"value":{}}]}]}]}]}'],
    ['an isMonotonic that is a string', '{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"m","sum":{"isMonotonic":"yes"}}]}]}]}'],
    ['an unknown severity name', '{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"severityNumber":"LOUD"}]}]}]}'],
    ['a fractional temporality', '{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"m","sum":{"aggregationTemporality":1.5}}]}]}]}'],
    ['bytes that are not base64', '{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"attributes":[{"key":"k","value":{"bytesValue":"not base64!"}}]}]}]}]}'],
    ['a metric name that is a number', '{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":7}]}]}]}'],
    ['a scope that is a string', '{"resourceMetrics":[{"scopeMetrics":[{"scope":"s"}]}]}'],
    ['a span that is a number', '{"resourceSpans":[{"scopeSpans":[{"spans":[1]}]}]}'],
  ])('refuses %s', (_name, body) => {
    expect(outcomeOf(decodeAs('application/json', body))).toBe('malformed_json');
  });

  it('refuses bytes that are not UTF-8', () => {
    expect(outcomeOf(decodeAs('application/json', Uint8Array.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d])))).toBe('malformed_json');
  });

  it('refuses AnyValues nested deeper than 32 levels', () => {
    const nested = Array.from({ length: 40 }).reduce<string>((inner) => `{"arrayValue":{"values":[${inner}]}}`, '{"intValue":1}');
    expect(outcomeOf(decodeAs('application/json', `{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"attributes":[{"key":"k","value":${nested}}]}]}]}]}`))).toBe('malformed_json');
  });

  it('refuses a body carrying two signals', () => {
    const body = '{"resourceMetrics":[{"scopeMetrics":[]}],"resourceLogs":[{"scopeLogs":[]}]}';
    expect(outcomeOf(decodeAs('application/json', body))).toBe('unknown_signal');
  });

  it('answers every truncation of a captured JSON body with malformed_json', () => {
    const body = loadCapture('claude/claude-json-delta/002-v1_metrics').body;
    const outcomes = Array.from({ length: 100 }, (_, index) => outcomeOf(decodeAs('application/json', body.subarray(0, Math.floor((index * body.length) / 100)))));
    expect(new Set(outcomes)).toEqual(new Set(['malformed_json']));
  });
});
