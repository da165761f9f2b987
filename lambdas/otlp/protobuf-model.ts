/**
 * protobufjs message objects → the wire-neutral model, in one pass without intermediate copies.
 * The interfaces below describe what protobufjs' generated decoders produce for schemas/otlp: unset
 * scalar fields read their default from the prototype, unset message fields read null, 64-bit integers
 * are Long objects, and only the member of a oneof that was on the wire is an own property.
 */
import type { Long, Message } from 'protobufjs';
import { emptyResource, emptyScope, setAttribute, toTemporality } from './model-values.ts';
import type {
  AttributeValue,
  Attributes,
  HistogramDataPoint,
  InstrumentationScope,
  LogRecord,
  Metric,
  MetricData,
  NumberDataPoint,
  Resource,
  ResourceItems,
  UnixNanos,
} from './types.ts';

interface PbKeyValue {
  readonly key: string;
  readonly value: PbAnyValue | null;
}

interface PbAnyValue {
  readonly stringValue: string;
  readonly boolValue: boolean;
  readonly intValue: Long;
  readonly doubleValue: number;
  readonly arrayValue: { readonly values: readonly PbAnyValue[] } | null;
  readonly kvlistValue: { readonly values: readonly PbKeyValue[] } | null;
  readonly bytesValue: Uint8Array;
}

interface PbResource {
  readonly attributes: readonly PbKeyValue[];
}

interface PbScope {
  readonly name: string;
  readonly version: string;
  readonly attributes: readonly PbKeyValue[];
}

interface PbNumberDataPoint {
  readonly attributes: readonly PbKeyValue[];
  readonly startTimeUnixNano: Long;
  readonly timeUnixNano: Long;
  readonly asDouble: number;
  readonly asInt: Long;
}

/** HistogramDataPoint, ExponentialHistogramDataPoint and SummaryDataPoint, as far as the model reads them. */
interface PbCountedDataPoint {
  readonly attributes: readonly PbKeyValue[];
  readonly startTimeUnixNano: Long;
  readonly timeUnixNano: Long;
  readonly count: Long;
  /** null when unset: `optional` in histograms; always a number in summaries. */
  readonly sum: number | null;
}

interface PbMetric {
  readonly name: string;
  readonly unit: string;
  readonly gauge: { readonly dataPoints: readonly PbNumberDataPoint[] } | null;
  readonly sum: { readonly dataPoints: readonly PbNumberDataPoint[]; readonly aggregationTemporality: number; readonly isMonotonic: boolean } | null;
  readonly histogram: { readonly dataPoints: readonly PbCountedDataPoint[]; readonly aggregationTemporality: number } | null;
  readonly exponentialHistogram: { readonly dataPoints: readonly PbCountedDataPoint[]; readonly aggregationTemporality: number } | null;
  readonly summary: { readonly dataPoints: readonly PbCountedDataPoint[] } | null;
}

interface PbLogRecord {
  readonly timeUnixNano: Long;
  readonly observedTimeUnixNano: Long;
  readonly severityNumber: number;
  readonly severityText: string;
  readonly attributes: readonly PbKeyValue[];
  readonly eventName: string;
}

interface PbMetricsRequest {
  readonly resourceMetrics: readonly {
    readonly resource: PbResource | null;
    readonly scopeMetrics: readonly { readonly scope: PbScope | null; readonly metrics: readonly PbMetric[] }[];
  }[];
}

interface PbLogsRequest {
  readonly resourceLogs: readonly {
    readonly resource: PbResource | null;
    readonly scopeLogs: readonly { readonly scope: PbScope | null; readonly logRecords: readonly PbLogRecord[] }[];
  }[];
}

/** Converts a decoded ExportMetricsServiceRequest. */
export function metricsFromProtobuf(message: Message): ResourceItems<Metric>[] {
  const request = message as unknown as PbMetricsRequest;
  return request.resourceMetrics.map((rm) => ({
    resource: resourceOf(rm.resource),
    scopes: rm.scopeMetrics.map((sm) => ({ scope: scopeOf(sm.scope), items: sm.metrics.map(metricOf) })),
  }));
}

/** Converts a decoded ExportLogsServiceRequest. */
export function logsFromProtobuf(message: Message): ResourceItems<LogRecord>[] {
  const request = message as unknown as PbLogsRequest;
  return request.resourceLogs.map((rl) => ({
    resource: resourceOf(rl.resource),
    scopes: rl.scopeLogs.map((sl) => ({ scope: scopeOf(sl.scope), items: sl.logRecords.map(logRecordOf) })),
  }));
}

function resourceOf(resource: PbResource | null): Resource {
  return resource === null ? emptyResource() : { attributes: attributesOf(resource.attributes) };
}

function scopeOf(scope: PbScope | null): InstrumentationScope {
  return scope === null ? emptyScope() : { name: scope.name, version: scope.version, attributes: attributesOf(scope.attributes) };
}

function metricOf(metric: PbMetric): Metric {
  return { name: metric.name, unit: metric.unit, data: metricDataOf(metric) };
}

function metricDataOf(metric: PbMetric): MetricData {
  const { gauge, sum, histogram, exponentialHistogram, summary } = metric;
  if (sum !== null) {
    return { kind: 'sum', temporality: toTemporality(sum.aggregationTemporality), monotonic: sum.isMonotonic, points: sum.dataPoints.map(numberPointOf) };
  }
  if (gauge !== null) return { kind: 'gauge', points: gauge.dataPoints.map(numberPointOf) };
  if (histogram !== null) {
    return { kind: 'histogram', temporality: toTemporality(histogram.aggregationTemporality), points: histogram.dataPoints.map(countedPointOf) };
  }
  if (exponentialHistogram !== null) {
    return {
      kind: 'exponentialHistogram',
      temporality: toTemporality(exponentialHistogram.aggregationTemporality),
      points: exponentialHistogram.dataPoints.map(countedPointOf),
    };
  }
  if (summary !== null) return { kind: 'summary', points: summary.dataPoints.map(countedPointOf) };
  return { kind: 'empty' };
}

function numberPointOf(point: PbNumberDataPoint): NumberDataPoint {
  return {
    attributes: attributesOf(point.attributes),
    startTimeUnixNano: unixNanosOf(point.startTimeUnixNano),
    timeUnixNano: unixNanosOf(point.timeUnixNano),
    value: Object.hasOwn(point, 'asDouble') ? point.asDouble : Object.hasOwn(point, 'asInt') ? int64Of(point.asInt) : null,
  };
}

function countedPointOf(point: PbCountedDataPoint): HistogramDataPoint {
  return {
    attributes: attributesOf(point.attributes),
    startTimeUnixNano: unixNanosOf(point.startTimeUnixNano),
    timeUnixNano: unixNanosOf(point.timeUnixNano),
    count: uint64Of(point.count),
    sum: point.sum,
  };
}

function logRecordOf(record: PbLogRecord): LogRecord {
  return {
    timeUnixNano: unixNanosOf(record.timeUnixNano),
    observedTimeUnixNano: unixNanosOf(record.observedTimeUnixNano),
    severityNumber: record.severityNumber,
    severityText: record.severityText,
    attributes: attributesOf(record.attributes),
    eventName: record.eventName,
  };
}

function attributesOf(list: readonly PbKeyValue[]): Attributes {
  const attributes: Record<string, AttributeValue> = {};
  for (const { key, value } of list) setAttribute(attributes, key, valueOf(value));
  return attributes;
}

function valueOf(value: PbAnyValue | null): AttributeValue {
  if (value === null) return null;
  if (Object.hasOwn(value, 'stringValue')) return value.stringValue;
  if (Object.hasOwn(value, 'intValue')) return int64Of(value.intValue);
  if (Object.hasOwn(value, 'boolValue')) return value.boolValue;
  if (Object.hasOwn(value, 'doubleValue')) return value.doubleValue;
  if (value.kvlistValue !== null) return attributesOf(value.kvlistValue.values);
  if (value.arrayValue !== null) return value.arrayValue.values.map(valueOf);
  // A copy, so the value neither pins the request buffer nor arrives as a Node Buffer.
  if (Object.hasOwn(value, 'bytesValue')) return new Uint8Array(value.bytesValue);
  return null;
}

const TWO_POW_32 = 4294967296;
/** Below 2^21 in the high word the value is below 2^53, where a double is exact and BigInt(number) is cheapest. */
const EXACT_HIGH_WORD_LIMIT = 0x200000;

/** The points of one export share their timestamps, so the last conversion is usually the next one. */
let lastHigh = 0;
let lastLow = 0;
let lastNanos: UnixNanos = 0n;

function unixNanosOf(value: Long): UnixNanos {
  const high = value.high >>> 0;
  const low = value.low >>> 0;
  if (high === lastHigh && low === lastLow) return lastNanos;
  lastHigh = high;
  lastLow = low;
  lastNanos = high < EXACT_HIGH_WORD_LIMIT ? BigInt(high * TWO_POW_32 + low) : (BigInt(high) << 32n) | BigInt(low);
  return lastNanos;
}

/** Signed 64-bit → number; Long keeps `high` as a signed 32-bit word, which carries the sign. */
function int64Of(value: Long): number {
  return value.high * TWO_POW_32 + (value.low >>> 0);
}

function uint64Of(value: Long): number {
  return (value.high >>> 0) * TWO_POW_32 + (value.low >>> 0);
}
