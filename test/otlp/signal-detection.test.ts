import { describe, expect, it } from 'vitest';
import { decodeOtlpRequest } from '../../lambdas/otlp/decode.ts';
import { ExportLogsServiceRequest, ExportMetricsServiceRequest, ExportTraceServiceRequest } from '../../lambdas/otlp/proto.ts';
import { signalFromPath } from '../../lambdas/otlp/path-hint.ts';
import type { DecodedRequest, Signal } from '../../lambdas/otlp/types.ts';
import { outcomeOf } from './outcome.ts';
import { concat, exportRequest, fixed64Field, lenField, varintField } from './wire.ts';

const PATHS = ['/v1/metrics', '/v1/logs', '/v1/traces', '/'] as const;

function decodeProtobuf(body: Uint8Array, pathHint?: string): DecodedRequest {
  return decodeOtlpRequest({ body, contentType: 'application/x-protobuf', pathHint }).request;
}

/** The signal detected for `body` on each of PATHS: a body that decides for itself gives the same on all. */
function signalsOnEveryPath(body: Uint8Array): Signal[] {
  return PATHS.map((path) => decodeProtobuf(body, path).signal);
}

const TRACE_ID = Uint8Array.from([0x5b, 0x8e, 0xff, 0xf7, 0x98, 0x03, 0x81, 0x03, 0xd2, 0x69, 0xb6, 0x33, 0x81, 0x3f, 0xc6, 0x0c]);
const SPAN_ID = Uint8Array.from([0xee, 0xe1, 0x9b, 0x7e, 0xc3, 0xc1, 0xb1, 0x74]);

describe('signal detection from minimal items', () => {
  it('takes a log record holding only a body for a log', () => {
    const body = ExportLogsServiceRequest.encode({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: { stringValue: 'hi' } }] }] }] }).finish();
    expect(signalsOnEveryPath(body)).toEqual(['logs', 'logs', 'logs', 'logs']);
    expect(decodeProtobuf(body)).toMatchObject({ resources: [{ scopes: [{ items: [{ attributes: {}, timeUnixNano: 0n }] }] }] });
  });

  it('takes a log record holding only a severity text for a log', () => {
    expect(signalsOnEveryPath(exportRequest(lenField(3, 'INFO')))).toEqual(['logs', 'logs', 'logs', 'logs']);
  });

  it('takes an empty item for a log record, the only signal whose items have no required field', () => {
    expect(signalsOnEveryPath(exportRequest(new Uint8Array(0)))).toEqual(['logs', 'logs', 'logs', 'logs']);
  });

  it('takes a span with zero times and no kind for a span', () => {
    const body = ExportTraceServiceRequest.encode({
      resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: TRACE_ID, spanId: SPAN_ID, name: 'llm_call' }] }] }],
    }).finish();
    expect(signalsOnEveryPath(body)).toEqual(['traces', 'traces', 'traces', 'traces']);
    expect(decodeProtobuf(body)).toEqual({ signal: 'traces', spanCount: 1 });
  });

  it('takes a span with only its ids for a span', () => {
    expect(signalsOnEveryPath(exportRequest(concat(lenField(1, TRACE_ID), lenField(2, SPAN_ID))))).toEqual(['traces', 'traces', 'traces', 'traces']);
  });

  it('takes a metric with only a name for a metric', () => {
    const body = ExportMetricsServiceRequest.encode({ resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 'requests' }] }] }] }).finish();
    expect(signalsOnEveryPath(body)).toEqual(['metrics', 'metrics', 'metrics', 'metrics']);
    expect(decodeProtobuf(body)).toMatchObject({ resources: [{ scopes: [{ items: [{ name: 'requests', unit: '', data: { kind: 'empty' } }] }] }] });
  });

  it('takes a metric whose name is as long as a trace id for a metric', () => {
    expect(signalsOnEveryPath(exportRequest(lenField(1, 'sixteen.chars.ab')))).toEqual(['metrics', 'metrics', 'metrics', 'metrics']);
  });

  it('takes a gauge without name or description for a metric when its point has a time', () => {
    const body = ExportMetricsServiceRequest.encode({
      resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 'g', gauge: { dataPoints: [{ asDouble: 1, timeUnixNano: 5 }] } }] }] }],
    }).finish();
    expect(signalsOnEveryPath(body)).toEqual(['metrics', 'metrics', 'metrics', 'metrics']);
  });

  it('decides on a later item when the first fits several signals', () => {
    const ambiguous = concat(lenField(1, 'sixteen.chars.ab'), lenField(2, 'eight.ch'));
    const histogram = concat(lenField(1, 'latency'), lenField(9, lenField(1, fixed64Field(4, 1n))), lenField(7, new Uint8Array(0)));
    expect(signalsOnEveryPath(exportRequest(ambiguous, histogram))).toEqual(['metrics', 'metrics', 'metrics', 'metrics']);
  });

  it('ignores field numbers no signal defines', () => {
    expect(signalsOnEveryPath(exportRequest(concat(varintField(40, 1), fixed64Field(1, 5n))))).toEqual(['logs', 'logs', 'logs', 'logs']);
  });
});

describe('signal detection when the body does not decide', () => {
  // Valid as a Metric (printable 16-byte name, 8-byte description) and as a Span (16-byte trace id, 8-byte span id).
  const tie = exportRequest(concat(lenField(1, 'sixteen.chars.ab'), lenField(2, 'eight.ch')));

  it('follows the path among the signals the body fits', () => {
    expect(signalsOnEveryPath(tie)).toEqual(['metrics', 'metrics', 'traces', 'metrics']);
  });

  it('ignores a path naming a signal the body does not fit', () => {
    expect(decodeProtobuf(tie, '/v1/logs').signal).toBe('metrics');
  });

  it('treats a 0-byte protobuf body as an empty request of the path signal, else metrics', () => {
    expect(signalsOnEveryPath(new Uint8Array(0))).toEqual(['metrics', 'logs', 'traces', 'metrics']);
    expect(decodeProtobuf(new Uint8Array(0), '/v1/logs')).toEqual({ signal: 'logs', resources: [] });
    expect(decodeProtobuf(new Uint8Array(0), '/v1/traces')).toEqual({ signal: 'traces', spanCount: 0 });
  });

  it('treats resources and scopes without items as an empty request and keeps them', () => {
    const body = ExportMetricsServiceRequest.encode({
      resourceMetrics: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] }, scopeMetrics: [{ scope: { name: 's' } }] }],
    }).finish();
    expect(signalsOnEveryPath(body)).toEqual(['metrics', 'logs', 'traces', 'metrics']);
    expect(decodeProtobuf(body, '/v1/metrics')).toEqual({
      signal: 'metrics',
      resources: [{ resource: { attributes: { 'service.name': 'svc' } }, scopes: [{ scope: { name: 's', version: '', attributes: {} }, items: [] }] }],
    });
  });
});

describe('bodies that are no OTLP signal', () => {
  it('refuses an item whose fields belong to different signals', () => {
    // field 1 as fixed64 exists only in LogRecord, field 7 as fixed64 only in Span
    expect(outcomeOf(() => decodeProtobuf(exportRequest(concat(fixed64Field(1, 1n), fixed64Field(7, 1n)))))).toBe('unknown_signal');
  });

  it('refuses a request whose items, read until the signal is settled, fit no common signal', () => {
    const metricOrSpan = concat(lenField(1, 'sixteen.chars.ab'), lenField(2, 'eight.ch'));
    const log = fixed64Field(1, 1n);
    expect(outcomeOf(() => decodeProtobuf(exportRequest(metricOrSpan, log)))).toBe('unknown_signal');
  });

  it.each([
    ['a varint where the resource list belongs', varintField(1, 1)],
    ['a varint where the scope list belongs', lenField(1, varintField(2, 1))],
    ['a fixed64 where the items belong', lenField(1, lenField(2, fixed64Field(2, 1n)))],
    ['a varint where the resource belongs', lenField(1, varintField(1, 3))],
  ])('refuses %s', (_name, body) => {
    expect(outcomeOf(() => decodeProtobuf(body))).toBe('unknown_signal');
  });
});

describe('signalFromPath', () => {
  it.each([
    ['/v1/metrics', 'metrics'],
    ['/v1/logs', 'logs'],
    ['/v1/traces', 'traces'],
    ['/otlp/v1/logs/', 'logs'],
    ['/v1/metrics?tenant=a', 'metrics'],
    ['/', undefined],
    ['/v1/metricsx', undefined],
    ['/v1/logs/extra', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('reads %s as %s', (path, signal) => {
    expect(signalFromPath(path)).toBe(signal);
  });
});
