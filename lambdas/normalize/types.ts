import type { Attributes, LogRecord } from '../otlp/types.ts';
import type { ActivityMetric, RecordContext, RequestRecord, TokenCounts, UnpricedRecord } from '../records/types.ts';

/** Raw token counts of one call or one export interval, keyed by the source's own token type names. */
export type RawTokens = Readonly<Record<string, number>>;

export type MetricRule =
  /** Token counts split over points by a type attribute; `toCanonical` maps the source's semantics. */
  | {
      readonly use: 'tokens';
      readonly typeAttribute: string;
      readonly tokenTypes: readonly string[];
      readonly modelAttributes: readonly string[];
      readonly toCanonical: (raw: RawTokens) => TokenCounts;
    }
  /** The client's own cost estimate, joined to the token record with the same attributes and time. */
  | { readonly use: 'reported_cost'; readonly modelAttributes: readonly string[] }
  | {
      readonly use: 'activity';
      /**
       * What one point counts towards (a failed request is both a request and an error). Null when the point
       * measures nothing known, e.g. an unknown `type` value: it is rejected.
       */
      readonly metrics: (attrs: Attributes) => readonly ActivityMetric[] | null;
      readonly detailAttribute?: string;
      readonly modelAttributes?: readonly string[];
    }
  /** Known and deliberately not metered: a duplicate of the authoritative source, latency, internals. */
  | { readonly use: 'ignore'; readonly reason: string };

/** What a source's event handler can produce from one log record. */
export interface EventSink {
  usage(model: string, tokens: TokenCounts, reportedCostUsd: number | null): void;
  request(fields: RequestFields): void;
  activity(metric: ActivityMetric, value: number, model: string | null, detail: string | null): void;
  reject(reason: string): void;
}

/** A request record's own fields; the normalizer adds context, id and time, the pricing step the estimate. */
export type RequestFields = Pick<
  RequestRecord,
  'event' | 'model' | 'request_id' | 'duration_ms' | 'status_code' | 'error' | 'reported_cost_usd' | keyof TokenCounts
>;

/** One client's telemetry dialect. Adding a client adds one of these and nothing else. */
export interface SourceAdapter {
  readonly tool: string;
  /** Rule for a metric name; undefined means the metric is unknown (counted and reported). */
  metricRule(name: string): MetricRule | undefined;
  /**
   * Handles one event (`event.name`), returning false when the event is not one this source knows.
   * Known events that carry nothing to meter return true without emitting.
   */
  handleEvent(eventName: string, record: LogRecord, sink: EventSink): boolean;
  /** Identity and context as this client reports them. */
  context(resource: Attributes, item: Attributes): RecordContext;
}

/** What normalizing one request did with its data points or log records. */
export interface NormalizeOutcome {
  readonly records: UnpricedRecord[];
  /** Points or log records that were turned into records, or deliberately not metered. */
  accepted: number;
  /** Rejected points or records by reason. */
  readonly rejected: Map<string, number>;
  /** Known, deliberately not metered, by metric or event name. */
  readonly ignored: Map<string, number>;
  /** Metric or event names no rule knows, with point counts. */
  readonly unknown: Map<string, number>;
}
