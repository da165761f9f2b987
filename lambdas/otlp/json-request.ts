/**
 * OTLP/JSON body → the wire-neutral model, straight from the parsed JSON (no detour through protobufjs
 * messages). Follows the OTLP JSON mapping as exporters really send it: lowerCamelCase keys (the proto
 * snake_case names are accepted too, as proto3 JSON parsers do), 64-bit integers as decimal strings or
 * numbers, enums as integers or names, `null` and absent fields meaning the default, and an empty
 * AnyValue `{}` meaning no value. Unknown keys are ignored, as the OTLP spec asks of receivers; fields
 * the model does not carry (ids, flags, buckets, exemplars…) are not inspected.
 */
import { Buffer } from 'node:buffer';
import type { Enum } from 'protobufjs';
import { OtlpDecodeError } from './errors.ts';
import { emptyResource, emptyScope, setAttribute, toTemporality } from './model-values.ts';
import { AggregationTemporality, SeverityNumber } from './proto.ts';
import { SIGNAL_PRIORITY, chooseSignal } from './signal-choice.ts';
import type {
  AttributeValue,
  Attributes,
  DecodedRequest,
  HistogramDataPoint,
  InstrumentationScope,
  LogRecord,
  Metric,
  MetricData,
  NumberDataPoint,
  Resource,
  ResourceItems,
  Signal,
  Temporality,
  UnixNanos,
} from './types.ts';

type JsonObject = { readonly [key: string]: unknown };

/** Deeper AnyValue nesting than any attribute needs; the cap keeps recursion far from the stack limit. */
const MAX_VALUE_DEPTH = 32;

/** Where each signal keeps its items: [request key, scope-list key, item-list key], each as [camelCase, snake_case]. */
const LAYOUT = {
  metrics: { resources: ['resourceMetrics', 'resource_metrics'], scopes: ['scopeMetrics', 'scope_metrics'], items: ['metrics', 'metrics'] },
  logs: { resources: ['resourceLogs', 'resource_logs'], scopes: ['scopeLogs', 'scope_logs'], items: ['logRecords', 'log_records'] },
  traces: { resources: ['resourceSpans', 'resource_spans'], scopes: ['scopeSpans', 'scope_spans'], items: ['spans', 'spans'] },
} as const satisfies Record<Signal, Record<'resources' | 'scopes' | 'items', readonly [string, string]>>;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes an OTLP/JSON export request body. Throws OtlpDecodeError (malformed_json / unknown_signal). */
export function decodeJsonRequest(body: Uint8Array, hint: Signal | undefined): DecodedRequest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(utf8.decode(body));
  } catch (error) {
    throw new OtlpDecodeError('malformed_json', `body is not UTF-8 JSON: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const request = requireObject(parsed, 'request body');
  const signal = signalOf(request, hint);
  switch (signal) {
    case 'metrics':
      return { signal, resources: resourcesOf(request, signal, metricOf) };
    case 'logs':
      return { signal, resources: resourcesOf(request, signal, logRecordOf) };
    case 'traces':
      return { signal, spanCount: countSpans(request) };
  }
}

/**
 * The signal is whichever top-level list holds items. Only when none does (an empty request) do empty
 * lists count, and then as for protobuf: the path's signal if it fits, see chooseSignal.
 */
function signalOf(request: JsonObject, hint: Signal | undefined): Signal {
  const present = SIGNAL_PRIORITY.filter((signal) => field(request, LAYOUT[signal].resources) != null);
  const withItems = present.filter((signal) => !isEmptyArray(field(request, LAYOUT[signal].resources)));
  if (withItems.length > 1) throw new OtlpDecodeError('unknown_signal', `body holds more than one signal: ${withItems.join(', ')}`);
  return chooseSignal(withItems.length === 1 ? withItems : present, hint);
}

function isEmptyArray(value: unknown): boolean {
  return Array.isArray(value) && value.length === 0;
}

function resourcesOf<T>(request: JsonObject, signal: 'metrics' | 'logs', itemOf: (item: unknown) => T): ResourceItems<T>[] {
  const layout = LAYOUT[signal];
  return listOf(request, layout.resources).map((entry) => {
    const resourceItems = requireObject(entry, layout.resources[0]);
    return {
      resource: resourceOf(field(resourceItems, ['resource'])),
      scopes: listOf(resourceItems, layout.scopes).map((scopeEntry) => {
        const scopeItems = requireObject(scopeEntry, layout.scopes[0]);
        return { scope: scopeOf(field(scopeItems, ['scope'])), items: listOf(scopeItems, layout.items).map(itemOf) };
      }),
    };
  });
}

function countSpans(request: JsonObject): number {
  const layout = LAYOUT.traces;
  let spans = 0;
  for (const entry of listOf(request, layout.resources)) {
    for (const scopeEntry of listOf(requireObject(entry, layout.resources[0]), layout.scopes)) {
      for (const span of listOf(requireObject(scopeEntry, layout.scopes[0]), layout.items)) {
        requireObject(span, 'span');
        spans += 1;
      }
    }
  }
  return spans;
}

function resourceOf(value: unknown): Resource {
  const resource = optionalObject(value, 'resource');
  return resource === undefined ? emptyResource() : { attributes: attributesOf(resource, 0) };
}

function scopeOf(value: unknown): InstrumentationScope {
  const scope = optionalObject(value, 'scope');
  if (scope === undefined) return emptyScope();
  return {
    name: stringOf(field(scope, ['name']), 'scope.name'),
    version: stringOf(field(scope, ['version']), 'scope.version'),
    attributes: attributesOf(scope, 0),
  };
}

function metricOf(value: unknown): Metric {
  const metric = requireObject(value, 'metric');
  return { name: stringOf(field(metric, ['name']), 'metric.name'), unit: stringOf(field(metric, ['unit']), 'metric.unit'), data: metricDataOf(metric) };
}

function metricDataOf(metric: JsonObject): MetricData {
  const sum = optionalObject(field(metric, ['sum']), 'metric.sum');
  if (sum !== undefined) {
    return {
      kind: 'sum',
      temporality: temporalityOf(sum),
      monotonic: boolOf(field(sum, ['isMonotonic', 'is_monotonic']), 'sum.isMonotonic'),
      points: listOf(sum, ['dataPoints', 'data_points']).map(numberPointOf),
    };
  }
  const gauge = optionalObject(field(metric, ['gauge']), 'metric.gauge');
  if (gauge !== undefined) return { kind: 'gauge', points: listOf(gauge, ['dataPoints', 'data_points']).map(numberPointOf) };
  const histogram = optionalObject(field(metric, ['histogram']), 'metric.histogram');
  if (histogram !== undefined) {
    return { kind: 'histogram', temporality: temporalityOf(histogram), points: listOf(histogram, ['dataPoints', 'data_points']).map(countedPointOf) };
  }
  const exponential = optionalObject(field(metric, ['exponentialHistogram', 'exponential_histogram']), 'metric.exponentialHistogram');
  if (exponential !== undefined) {
    return {
      kind: 'exponentialHistogram',
      temporality: temporalityOf(exponential),
      points: listOf(exponential, ['dataPoints', 'data_points']).map(countedPointOf),
    };
  }
  const summary = optionalObject(field(metric, ['summary']), 'metric.summary');
  if (summary !== undefined) return { kind: 'summary', points: listOf(summary, ['dataPoints', 'data_points']).map(summaryPointOf) };
  return { kind: 'empty' };
}

function temporalityOf(aggregation: JsonObject): Temporality {
  return toTemporality(enumOf(field(aggregation, ['aggregationTemporality', 'aggregation_temporality']), AggregationTemporality, 'aggregationTemporality'));
}

function numberPointOf(value: unknown): NumberDataPoint {
  const point = requireObject(value, 'data point');
  const asDouble = field(point, ['asDouble', 'as_double']);
  const asInt = field(point, ['asInt', 'as_int']);
  return {
    attributes: attributesOf(point, 0),
    startTimeUnixNano: unixNanosOf(field(point, ['startTimeUnixNano', 'start_time_unix_nano']), 'startTimeUnixNano'),
    timeUnixNano: unixNanosOf(field(point, ['timeUnixNano', 'time_unix_nano']), 'timeUnixNano'),
    value: asDouble != null ? doubleOf(asDouble, 'asDouble') : asInt != null ? int64Of(asInt, 'asInt') : null,
  };
}

function countedPointOf(value: unknown): HistogramDataPoint {
  const point = requireObject(value, 'data point');
  const sum = field(point, ['sum']);
  return {
    attributes: attributesOf(point, 0),
    startTimeUnixNano: unixNanosOf(field(point, ['startTimeUnixNano', 'start_time_unix_nano']), 'startTimeUnixNano'),
    timeUnixNano: unixNanosOf(field(point, ['timeUnixNano', 'time_unix_nano']), 'timeUnixNano'),
    count: uint64Of(field(point, ['count']), 'count'),
    sum: sum == null ? null : doubleOf(sum, 'sum'),
  };
}

/** A summary's sum is a plain (not optional) double, so unset reads as 0 as it does in protobuf. */
function summaryPointOf(value: unknown): HistogramDataPoint {
  const point = countedPointOf(value);
  return point.sum === null ? { ...point, sum: 0 } : point;
}

function logRecordOf(value: unknown): LogRecord {
  const record = requireObject(value, 'log record');
  return {
    timeUnixNano: unixNanosOf(field(record, ['timeUnixNano', 'time_unix_nano']), 'timeUnixNano'),
    observedTimeUnixNano: unixNanosOf(field(record, ['observedTimeUnixNano', 'observed_time_unix_nano']), 'observedTimeUnixNano'),
    severityNumber: enumOf(field(record, ['severityNumber', 'severity_number']), SeverityNumber, 'severityNumber'),
    severityText: stringOf(field(record, ['severityText', 'severity_text']), 'severityText'),
    attributes: attributesOf(record, 0),
    eventName: stringOf(field(record, ['eventName', 'event_name']), 'eventName'),
  };
}

/** The `attributes` list of `owner` (or, inside a kvlist, its `values`) as an object. */
function attributesOf(owner: JsonObject, depth: number, key: 'attributes' | 'values' = 'attributes'): Attributes {
  const attributes: Record<string, AttributeValue> = {};
  for (const entry of listOf(owner, [key])) {
    const keyValue = requireObject(entry, 'attribute');
    const name = field(keyValue, ['key']);
    if (typeof name !== 'string') throw malformed('attribute key must be a string');
    setAttribute(attributes, name, anyValueOf(field(keyValue, ['value']), depth));
  }
  return attributes;
}

function anyValueOf(value: unknown, depth: number): AttributeValue {
  const any = optionalObject(value, 'AnyValue');
  if (any === undefined) return null;
  if (depth >= MAX_VALUE_DEPTH) throw malformed(`AnyValue nested deeper than ${MAX_VALUE_DEPTH} levels`);
  const string = field(any, ['stringValue', 'string_value']);
  if (string != null) return stringOf(string, 'stringValue');
  const int = field(any, ['intValue', 'int_value']);
  if (int != null) return int64Of(int, 'intValue');
  const bool = field(any, ['boolValue', 'bool_value']);
  if (bool != null) return boolOf(bool, 'boolValue');
  const double = field(any, ['doubleValue', 'double_value']);
  if (double != null) return doubleOf(double, 'doubleValue');
  const kvlist = optionalObject(field(any, ['kvlistValue', 'kvlist_value']), 'kvlistValue');
  if (kvlist !== undefined) return attributesOf(kvlist, depth + 1, 'values');
  const array = optionalObject(field(any, ['arrayValue', 'array_value']), 'arrayValue');
  if (array !== undefined) return listOf(array, ['values']).map((element) => anyValueOf(element, depth + 1));
  const bytes = field(any, ['bytesValue', 'bytes_value']);
  if (bytes != null) return bytesOf(bytes);
  return null;
}

function field(object: JsonObject, [camel, snake]: readonly [string, string?]): unknown {
  return object[camel] ?? (snake === undefined ? undefined : object[snake]);
}

function listOf(object: JsonObject, names: readonly [string, string?]): readonly unknown[] {
  const value = field(object, names);
  if (value == null) return [];
  if (!Array.isArray(value)) throw malformed(`"${names[0]}" must be an array`);
  return value;
}

function requireObject(value: unknown, what: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw malformed(`${what} must be a JSON object`);
  return value as JsonObject;
}

function optionalObject(value: unknown, what: string): JsonObject | undefined {
  return value == null ? undefined : requireObject(value, what);
}

function stringOf(value: unknown, what: string): string {
  if (value == null) return '';
  if (typeof value !== 'string') throw malformed(`${what} must be a string`);
  return value;
}

function boolOf(value: unknown, what: string): boolean {
  if (value == null) return false;
  if (typeof value !== 'boolean') throw malformed(`${what} must be a boolean`);
  return value;
}

const UNSIGNED_DECIMAL = /^\d+$/;
const SIGNED_DECIMAL = /^-?\d+$/;
const MAX_UINT64 = 0xffff_ffff_ffff_ffffn;

/** fixed64 nanosecond times: exact as bigint when sent as strings (the spec'd form). */
function unixNanosOf(value: unknown, what: string): UnixNanos {
  if (value == null) return 0n;
  if (typeof value === 'string' && UNSIGNED_DECIMAL.test(value)) return withinUint64(BigInt(value), what);
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return withinUint64(BigInt(value), what);
  throw malformed(`${what} must be an unsigned 64-bit integer`);
}

function withinUint64(value: bigint, what: string): bigint {
  if (value > MAX_UINT64) throw malformed(`${what} exceeds the unsigned 64-bit range`);
  return value;
}

function uint64Of(value: unknown, what: string): number {
  if (value == null) return 0;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  if (typeof value === 'string' && UNSIGNED_DECIMAL.test(value)) return Number(value);
  throw malformed(`${what} must be an unsigned 64-bit integer`);
}

function int64Of(value: unknown, what: string): number {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && SIGNED_DECIMAL.test(value)) return Number(value);
  throw malformed(`${what} must be a 64-bit integer`);
}

const NUMERIC = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/** Proto3 JSON spells the non-finite doubles as strings; keeping them lets the normalizer refuse them knowingly. */
const NON_FINITE: ReadonlyMap<string, number> = new Map([
  ['NaN', Number.NaN],
  ['Infinity', Number.POSITIVE_INFINITY],
  ['-Infinity', Number.NEGATIVE_INFINITY],
]);

function doubleOf(value: unknown, what: string): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const nonFinite = NON_FINITE.get(value);
    if (nonFinite !== undefined) return nonFinite;
    if (NUMERIC.test(value)) return Number(value);
  }
  throw malformed(`${what} must be a number`);
}

function enumOf(value: unknown, type: Enum, what: string): number {
  if (value == null) return 0;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  const named = typeof value === 'string' && Object.hasOwn(type.values, value) ? type.values[value] : undefined;
  if (named === undefined) throw malformed(`${what} must be an integer or a ${type.name} name`);
  return named;
}

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** bytesValue is base64 (standard or URL-safe alphabet) in the JSON mapping. */
function bytesOf(value: unknown): Uint8Array {
  if (typeof value !== 'string' || !BASE64.test(value)) throw malformed('bytesValue must be a base64 string');
  return new Uint8Array(Buffer.from(value, 'base64'));
}

function malformed(message: string): OtlpDecodeError {
  return new OtlpDecodeError('malformed_json', message);
}
