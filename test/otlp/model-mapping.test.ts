import { describe, expect, it } from 'vitest';
import { decodeOtlpRequest } from '../../lambdas/otlp/decode.ts';
import { ExportLogsServiceRequest, ExportMetricsServiceRequest, ExportTraceServiceRequest } from '../../lambdas/otlp/proto.ts';
import type { DecodedRequest } from '../../lambdas/otlp/types.ts';
import { Temporality } from '../../lambdas/otlp/types.ts';

function fromJson(body: string, pathHint?: string): DecodedRequest {
  return decodeOtlpRequest({ body: new TextEncoder().encode(body), contentType: 'application/json', pathHint }).request;
}

function fromProtobuf(body: Uint8Array): DecodedRequest {
  return decodeOtlpRequest({ body, contentType: 'application/x-protobuf' }).request;
}

const T0 = '1795342910022977182';
const T1 = '1795342910316943712';

// Written in the OTLP JSON mapping, which protobufjs' fromObject also accepts (int64 as strings, non-finite
// doubles as "NaN"/"Infinity", bytes as base64), so one literal feeds both decoders.
const METRICS_REQUEST = {
  resourceMetrics: [
    {
      resource: {
        attributes: [
          { key: 'string', value: { stringValue: 'codex_exec' } },
          { key: 'empty-string', value: { stringValue: '' } },
          { key: 'bool', value: { boolValue: true } },
          { key: 'false', value: { boolValue: false } },
          { key: 'int', value: { intValue: '-42' } },
          { key: 'zero-int', value: { intValue: '0' } },
          { key: 'big-int', value: { intValue: '9007199254740993' } },
          { key: 'double', value: { doubleValue: 0.5 } },
          { key: 'bytes', value: { bytesValue: 'AQID/w==' } },
          { key: 'array', value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: '1' }, {}] } } },
          { key: 'kvlist', value: { kvlistValue: { values: [{ key: 'inner', value: { arrayValue: { values: [{ boolValue: false }] } } }] } } },
          { key: 'empty-value', value: {} },
          { key: 'no-value' },
          { key: '__proto__', value: { stringValue: 'kept as a key' } },
        ],
      },
      scopeMetrics: [
        {
          scope: { name: 'codex', version: '0.169.0', attributes: [{ key: 'scope.attr', value: { intValue: '7' } }] },
          metrics: [
            {
              name: 'requests',
              description: 'not part of the model',
              unit: '1',
              sum: {
                aggregationTemporality: 1,
                isMonotonic: true,
                dataPoints: [
                  { attributes: [{ key: 'status', value: { stringValue: 'ok' } }], startTimeUnixNano: T0, timeUnixNano: T1, asInt: '3' },
                  { timeUnixNano: T1, asInt: '-9' },
                ],
              },
            },
            {
              name: 'temperature',
              gauge: {
                dataPoints: [
                  { timeUnixNano: T1, asDouble: 21.5 },
                  { timeUnixNano: T1, asDouble: 'NaN' },
                  { timeUnixNano: T1, asDouble: '-Infinity' },
                  { timeUnixNano: T1, asDouble: 0 },
                  { timeUnixNano: T1 },
                ],
              },
            },
            {
              name: 'latency',
              unit: 'ms',
              histogram: {
                aggregationTemporality: 2,
                dataPoints: [
                  { startTimeUnixNano: T0, timeUnixNano: T1, count: '4', sum: 10.25, bucketCounts: ['1', '3'], explicitBounds: [5] },
                  { timeUnixNano: T1, count: '2' },
                  { timeUnixNano: T1, count: '1', sum: 0 },
                ],
              },
            },
            {
              name: 'sizes',
              exponentialHistogram: {
                aggregationTemporality: 1,
                dataPoints: [{ timeUnixNano: T1, count: '5', sum: 12, scale: 2, zeroCount: '1', positive: { offset: -1, bucketCounts: ['4'] } }],
              },
            },
            {
              name: 'quantiles',
              summary: {
                dataPoints: [
                  { timeUnixNano: T1, count: '6', sum: 30, quantileValues: [{ quantile: 0.5, value: 4 }] },
                  { timeUnixNano: T1, count: '0' },
                ],
              },
            },
            { name: 'odd-temporality', sum: { aggregationTemporality: 7, dataPoints: [] } },
            { name: 'no-data', unit: 'By' },
          ],
        },
        { metrics: [{ name: 'unscoped' }] },
      ],
    },
    {},
  ],
};

const EXPECTED_METRICS: DecodedRequest = {
  signal: 'metrics',
  resources: [
    {
      resource: {
        attributes: Object.defineProperty(
          {
            string: 'codex_exec',
            'empty-string': '',
            bool: true,
            false: false,
            int: -42,
            'zero-int': 0,
            'big-int': 9007199254740992,
            double: 0.5,
            bytes: Uint8Array.from([1, 2, 3, 255]),
            array: ['a', 1, null],
            kvlist: { inner: [false] },
            'empty-value': null,
            'no-value': null,
          },
          '__proto__',
          { value: 'kept as a key', enumerable: true, writable: true, configurable: true },
        ),
      },
      scopes: [
        {
          scope: { name: 'codex', version: '0.169.0', attributes: { 'scope.attr': 7 } },
          items: [
            {
              name: 'requests',
              unit: '1',
              data: {
                kind: 'sum',
                temporality: Temporality.Delta,
                monotonic: true,
                points: [
                  { attributes: { status: 'ok' }, startTimeUnixNano: BigInt(T0), timeUnixNano: BigInt(T1), value: 3 },
                  { attributes: {}, startTimeUnixNano: 0n, timeUnixNano: BigInt(T1), value: -9 },
                ],
              },
            },
            {
              name: 'temperature',
              unit: '',
              data: {
                kind: 'gauge',
                points: [21.5, Number.NaN, Number.NEGATIVE_INFINITY, 0, null].map((value) => ({ attributes: {}, startTimeUnixNano: 0n, timeUnixNano: BigInt(T1), value })),
              },
            },
            {
              name: 'latency',
              unit: 'ms',
              data: {
                kind: 'histogram',
                temporality: Temporality.Cumulative,
                points: [
                  { attributes: {}, startTimeUnixNano: BigInt(T0), timeUnixNano: BigInt(T1), count: 4, sum: 10.25 },
                  { attributes: {}, startTimeUnixNano: 0n, timeUnixNano: BigInt(T1), count: 2, sum: null },
                  { attributes: {}, startTimeUnixNano: 0n, timeUnixNano: BigInt(T1), count: 1, sum: 0 },
                ],
              },
            },
            {
              name: 'sizes',
              unit: '',
              data: {
                kind: 'exponentialHistogram',
                temporality: Temporality.Delta,
                points: [{ attributes: {}, startTimeUnixNano: 0n, timeUnixNano: BigInt(T1), count: 5, sum: 12 }],
              },
            },
            {
              name: 'quantiles',
              unit: '',
              data: {
                kind: 'summary',
                points: [
                  { attributes: {}, startTimeUnixNano: 0n, timeUnixNano: BigInt(T1), count: 6, sum: 30 },
                  { attributes: {}, startTimeUnixNano: 0n, timeUnixNano: BigInt(T1), count: 0, sum: 0 },
                ],
              },
            },
            { name: 'odd-temporality', unit: '', data: { kind: 'sum', temporality: Temporality.Unspecified, monotonic: false, points: [] } },
            { name: 'no-data', unit: 'By', data: { kind: 'empty' } },
          ],
        },
        { scope: { name: '', version: '', attributes: {} }, items: [{ name: 'unscoped', unit: '', data: { kind: 'empty' } }] },
      ],
    },
    { resource: { attributes: {} }, scopes: [] },
  ],
};

const LOGS_REQUEST = {
  resourceLogs: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'claude-code' } }] },
      scopeLogs: [
        {
          scope: { name: 'com.anthropic.claude_code.events', version: '2.1.197' },
          logRecords: [
            {
              timeUnixNano: T0,
              observedTimeUnixNano: T1,
              severityNumber: 9,
              severityText: 'INFO',
              body: { stringValue: 'claude_code.api_request' },
              attributes: [
                { key: 'event.name', value: { stringValue: 'api_request' } },
                { key: 'input_tokens', value: { intValue: '1234' } },
                { key: 'cost_usd', value: { doubleValue: 0.012945 } },
              ],
              flags: 1,
              eventName: 'event otel/src/events/session_telemetry.rs:703',
            },
            { observedTimeUnixNano: T1, body: { kvlistValue: { values: [{ key: 'k', value: { doubleValue: 'Infinity' } }] } } },
            {},
          ],
        },
      ],
    },
  ],
};

const EXPECTED_LOGS: DecodedRequest = {
  signal: 'logs',
  resources: [
    {
      resource: { attributes: { 'service.name': 'claude-code' } },
      scopes: [
        {
          scope: { name: 'com.anthropic.claude_code.events', version: '2.1.197', attributes: {} },
          items: [
            {
              timeUnixNano: BigInt(T0),
              observedTimeUnixNano: BigInt(T1),
              severityNumber: 9,
              severityText: 'INFO',
              attributes: { 'event.name': 'api_request', input_tokens: 1234, cost_usd: 0.012945 },
              eventName: 'event otel/src/events/session_telemetry.rs:703',
            },
            {
              timeUnixNano: 0n,
              observedTimeUnixNano: BigInt(T1),
              severityNumber: 0,
              severityText: '',
              attributes: {},
              eventName: '',
            },
            { timeUnixNano: 0n, observedTimeUnixNano: 0n, severityNumber: 0, severityText: '', attributes: {}, eventName: '' },
          ],
        },
      ],
    },
  ],
};

/** OTLP JSON with proto field names instead of lowerCamelCase keys. */
function snakeCaseKeys(value: unknown): unknown {
  return Array.isArray(value)
    ? value.map(snakeCaseKeys)
    : typeof value === 'object' && value !== null
      ? Object.fromEntries(Object.entries(value).map(([key, inner]) => [key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), snakeCaseKeys(inner)]))
      : value;
}

describe('protobuf and JSON decode the same data to the same model', () => {
  it('for metrics of every kind and attributes of every type', () => {
    const protobuf = fromProtobuf(ExportMetricsServiceRequest.encode(ExportMetricsServiceRequest.fromObject(METRICS_REQUEST)).finish());
    expect(protobuf).toStrictEqual(EXPECTED_METRICS);
    expect(fromJson(JSON.stringify(METRICS_REQUEST))).toStrictEqual(protobuf);
  });

  it('for log records', () => {
    const protobuf = fromProtobuf(ExportLogsServiceRequest.encode(ExportLogsServiceRequest.fromObject(LOGS_REQUEST)).finish());
    expect(protobuf).toStrictEqual(EXPECTED_LOGS);
    expect(fromJson(JSON.stringify(LOGS_REQUEST))).toStrictEqual(protobuf);
  });

  it('for spans, which are only counted', () => {
    const spans = { resourceSpans: [{ scopeSpans: [{ spans: [{ name: 'a', startTimeUnixNano: T0 }, { name: 'b' }] }, { spans: [{ name: 'c' }] }] }, {}] };
    const protobuf = fromProtobuf(ExportTraceServiceRequest.encode(ExportTraceServiceRequest.fromObject(spans)).finish());
    expect(protobuf).toStrictEqual({ signal: 'traces', spanCount: 3 });
    expect(fromJson(JSON.stringify(spans))).toStrictEqual(protobuf);
  });

  it('keeps attribute objects plain even for a "__proto__" key', () => {
    const request = fromProtobuf(ExportMetricsServiceRequest.encode(ExportMetricsServiceRequest.fromObject(METRICS_REQUEST)).finish());
    const attributes = request.signal === 'metrics' ? request.resources[0]?.resource.attributes : undefined;
    expect(Object.getPrototypeOf(attributes)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(attributes, '__proto__')?.value).toBe('kept as a key');
  });

  it('returns bytes as plain Uint8Array copies', () => {
    const request = fromProtobuf(ExportMetricsServiceRequest.encode(ExportMetricsServiceRequest.fromObject(METRICS_REQUEST)).finish());
    const bytes = request.signal === 'metrics' ? request.resources[0]?.resource.attributes['bytes'] : undefined;
    expect(Object.getPrototypeOf(bytes)).toBe(Uint8Array.prototype);
  });
});

describe('OTLP JSON variants', () => {
  it('accepts the proto field names (snake_case) for every key', () => {
    expect(fromJson(JSON.stringify(snakeCaseKeys(METRICS_REQUEST)))).toStrictEqual(EXPECTED_METRICS);
    expect(fromJson(JSON.stringify(snakeCaseKeys(LOGS_REQUEST)))).toStrictEqual(EXPECTED_LOGS);
  });

  it('accepts 64-bit integers as JSON numbers', () => {
    const body = `{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"m","histogram":{"dataPoints":[
      {"startTimeUnixNano":1795342910000000000,"timeUnixNano":"1795342910000000000","count":3,"sum":1.5}]}},
      {"name":"n","sum":{"dataPoints":[{"asInt":2500},{"asInt":"2500"}]}}]}]}]}`;
    expect(fromJson(body)).toMatchObject({
      resources: [
        {
          scopes: [
            {
              items: [
                { data: { points: [{ startTimeUnixNano: 1795342910000000000n, timeUnixNano: 1795342910000000000n, count: 3, sum: 1.5 }] } },
                { data: { points: [{ value: 2500 }, { value: 2500 }] } },
              ],
            },
          ],
        },
      ],
    });
  });

  it('accepts enum names', () => {
    const body = `{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"m","sum":{"aggregationTemporality":"AGGREGATION_TEMPORALITY_CUMULATIVE","isMonotonic":true}}]}]}]}`;
    const logs = `{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"severityNumber":"SEVERITY_NUMBER_WARN"}]}]}]}`;
    expect(fromJson(body)).toMatchObject({ resources: [{ scopes: [{ items: [{ data: { temporality: Temporality.Cumulative } }] }] }] });
    expect(fromJson(logs)).toMatchObject({ resources: [{ scopes: [{ items: [{ severityNumber: 13 }] }] }] });
  });

  it('reads the Codex log record shape: null body, empty ids, zero time', () => {
    const body = `{"resourceLogs":[{"resource":null,"scopeLogs":[{"scope":{"name":"codex_otel.log_only","version":"","attributes":[],"droppedAttributesCount":0},
      "logRecords":[{"timeUnixNano":"0","observedTimeUnixNano":"${T1}","severityNumber":9,"severityText":"INFO","body":null,
      "attributes":[{"key":"x","value":null}],"droppedAttributesCount":0,"flags":1,"traceId":"","spanId":"","eventName":"event"}]}]}]}`;
    expect(fromJson(body)).toStrictEqual({
      signal: 'logs',
      resources: [
        {
          resource: { attributes: {} },
          scopes: [
            {
              scope: { name: 'codex_otel.log_only', version: '', attributes: {} },
              items: [
                { timeUnixNano: 0n, observedTimeUnixNano: BigInt(T1), severityNumber: 9, severityText: 'INFO', attributes: { x: null }, eventName: 'event' },
              ],
            },
          ],
        },
      ],
    });
  });

  it('reads doubles spelled as strings', () => {
    const body = `{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"name":"m","gauge":{"dataPoints":[
      {"asDouble":"Infinity"},{"asDouble":"-Infinity"},{"asDouble":"NaN"},{"asDouble":"1.5e3"},{"asDouble":-0.25}]}}]}]}]}`;
    const request = fromJson(body);
    const points = request.signal === 'metrics' ? request.resources[0]?.scopes[0]?.items[0]?.data : undefined;
    expect(points).toMatchObject({ points: [{ value: Infinity }, { value: -Infinity }, { value: Number.NaN }, { value: 1500 }, { value: -0.25 }] });
  });

  it('ignores keys OTLP does not define', () => {
    const body = `{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"severityText":"INFO","future":{"x":1}}],"extra":1}]}],"note":"x"}`;
    expect(fromJson(body)).toMatchObject({ signal: 'logs', resources: [{ scopes: [{ items: [{ severityText: 'INFO' }] }] }] });
  });

  it.each([
    ['{}', '/v1/traces', { signal: 'traces', spanCount: 0 }],
    ['{}', '/', { signal: 'metrics', resources: [] }],
    ['{"resourceLogs":[]}', '/', { signal: 'logs', resources: [] }],
    ['{"resourceLogs":[]}', '/v1/metrics', { signal: 'logs', resources: [] }],
    ['{"resourceSpans":[],"resourceLogs":[]}', '/v1/traces', { signal: 'traces', spanCount: 0 }],
    ['{"resourceMetrics":null,"resourceLogs":[{}]}', '/v1/metrics', { signal: 'logs', resources: [{ resource: { attributes: {} }, scopes: [] }] }],
  ])('reads the empty request %s on %s', (body, path, expected) => {
    expect(fromJson(body, path)).toStrictEqual(expected);
  });
});
