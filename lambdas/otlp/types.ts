/**
 * Wire-neutral OTLP model. Both decoders (protobuf and JSON) produce exactly these shapes, so the
 * normalizers never see hex ids, string int64s, Long objects or enum names.
 */

export type Signal = 'metrics' | 'logs' | 'traces';

export type AttributeValue =
  | string
  | number
  | boolean
  | null
  | Uint8Array
  | AttributeValue[]
  | { readonly [key: string]: AttributeValue };

export type Attributes = Readonly<Record<string, AttributeValue>>;

export interface Resource {
  readonly attributes: Attributes;
}

export interface InstrumentationScope {
  readonly name: string;
  readonly version: string;
  readonly attributes: Attributes;
}

/** Times are nanoseconds since the epoch; bigint because they exceed 2^53. 0n means "not set". */
export type UnixNanos = bigint;

export const Temporality = {
  Unspecified: 0,
  Delta: 1,
  Cumulative: 2,
} as const;
export type Temporality = (typeof Temporality)[keyof typeof Temporality];

export interface NumberDataPoint {
  readonly attributes: Attributes;
  readonly startTimeUnixNano: UnixNanos;
  readonly timeUnixNano: UnixNanos;
  /** asInt or asDouble; null when the point carries neither. */
  readonly value: number | null;
}

export interface HistogramDataPoint {
  readonly attributes: Attributes;
  readonly startTimeUnixNano: UnixNanos;
  readonly timeUnixNano: UnixNanos;
  readonly count: number;
  /** Optional in OTLP: absent when the measurements can be negative. */
  readonly sum: number | null;
}

export type MetricData =
  | { readonly kind: 'sum'; readonly temporality: Temporality; readonly monotonic: boolean; readonly points: readonly NumberDataPoint[] }
  | { readonly kind: 'gauge'; readonly points: readonly NumberDataPoint[] }
  | { readonly kind: 'histogram'; readonly temporality: Temporality; readonly points: readonly HistogramDataPoint[] }
  | { readonly kind: 'exponentialHistogram'; readonly temporality: Temporality; readonly points: readonly HistogramDataPoint[] }
  | { readonly kind: 'summary'; readonly points: readonly HistogramDataPoint[] }
  | { readonly kind: 'empty' };

export interface Metric {
  readonly name: string;
  readonly unit: string;
  readonly data: MetricData;
}

export interface LogRecord {
  readonly timeUnixNano: UnixNanos;
  readonly observedTimeUnixNano: UnixNanos;
  readonly severityNumber: number;
  readonly severityText: string;
  /* No body: clients put free text there (GenAI semconv events carry message content in it), and nothing is metered from it. */
  readonly attributes: Attributes;
  /** OTLP LogRecord.event_name. Codex fills it with a call-site string, so normalizers key on attributes. */
  readonly eventName: string;
}

export interface ScopeItems<T> {
  readonly scope: InstrumentationScope;
  readonly items: readonly T[];
}

export interface ResourceItems<T> {
  readonly resource: Resource;
  readonly scopes: readonly ScopeItems<T>[];
}

export type DecodedRequest =
  | { readonly signal: 'metrics'; readonly resources: readonly ResourceItems<Metric>[] }
  | { readonly signal: 'logs'; readonly resources: readonly ResourceItems<LogRecord>[] }
  /** Traces are counted, never stored. */
  | { readonly signal: 'traces'; readonly spanCount: number };
