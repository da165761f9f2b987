import type {
  Attributes,
  DecodedRequest,
  HistogramDataPoint,
  LogRecord,
  Metric,
  NumberDataPoint,
  ResourceItems,
} from '../otlp/types.ts';
import { Temporality } from '../otlp/types.ts';
import type { Pricer } from '../pricing/types.ts';
import { nanosToMillis, recordId } from '../records/identity.ts';
import type { ActivityMetric, CanonicalRecord, RecordContext, TokenCounts } from '../records/types.ts';
import { TOKEN_FIELDS } from '../records/types.ts';
import { cumulativeDelta } from '../temporality/cumulative.ts';
import type { SeriesState } from '../temporality/series-state.ts';
import { adapterFor } from './adapters.ts';
import { canonicalAttributes, firstString, stringAttr } from './attributes.ts';
import { increment } from './counts.ts';
import { normalizeModelName } from './model-name.ts';
import type { EventSink, MetricRule, NormalizeOutcome, RawTokens, RequestFields, SourceAdapter } from './types.ts';
import { MAX_ACTIVITY_PER_POINT, MAX_COST_USD_PER_POINT, MAX_TOKENS_PER_POINT, invalidValueReason } from './values.ts';

export interface NormalizeResult extends NormalizeOutcome {
  /** New cumulative baselines; save them only once the records are stored. */
  readonly stateUpdates: Map<string, SeriesState>;
}

type Point = NumberDataPoint | HistogramDataPoint;

interface MetricScope {
  readonly adapter: SourceAdapter;
  readonly resource: Attributes;
  /** Resource + scope, in canonical text form: the prefix of every series key and record id. */
  readonly origin: string;
  /** Usage groups by the attributes that identify the call, then by time (bigint keys compare by value). */
  readonly groups: Map<string, Map<bigint, UsageGroup>>;
}

/** Token points (and Claude's cost point) of one call or interval, merged into one usage record. */
interface UsageGroup {
  readonly scope: MetricScope;
  readonly attrs: Attributes;
  readonly timeUnixNano: bigint;
  /**
   * The earliest start time of the group's points. Part of the id: clients stamp whole milliseconds, so two
   * delta exports of one series can share a time, but never a start.
   */
  startTimeUnixNano: bigint;
  readonly attrsKey: string;
  raw: Record<string, number>;
  toCanonical: ((raw: RawTokens) => TokenCounts) | null;
  model: string | null;
  reportedCostUsd: number | null;
  points: number;
  /** Id parts of same-instant cumulative snapshots (see RequestNormalizer#delta). */
  readonly idParts: string[];
}

/** A point's contribution: its delta, and what its record id needs beyond the point's own identity. */
interface PointDelta {
  readonly value: number;
  readonly idParts: readonly string[];
}

function pointValue(data: Metric['data'], point: Point): number | null {
  return data.kind === 'sum' || data.kind === 'gauge' ? (point as NumberDataPoint).value : (point as HistogramDataPoint).sum;
}

function metricPoints(metric: Metric): readonly Point[] {
  return metric.data.kind === 'empty' ? [] : metric.data.points;
}

function temporalityOf(data: Metric['data']): Temporality {
  return 'temporality' in data ? data.temporality : Temporality.Unspecified;
}

function origin(resource: ResourceItems<unknown>, scopeName: string, scopeVersion: string): string {
  return `${canonicalAttributes(resource.resource.attributes)}|${scopeName}@${scopeVersion}`;
}

function seriesKey(scopeOrigin: string, metric: Metric, point: Point): string {
  return recordId('series', scopeOrigin, metric.name, canonicalAttributes(point.attributes), String(point.startTimeUnixNano));
}

/** What a metrics request's cumulative points need before they can be normalized. */
export interface CumulativeSeries {
  /** Every cumulative series' key: the state to load. */
  readonly keys: readonly string[];
  /**
   * One key per resource (sending process) with cumulative points. A series belongs to exactly one resource,
   * so two requests that share a series share its resource's scope: the unit an exclusive lock needs.
   */
  readonly scopes: readonly string[];
}

export function cumulativeSeries(request: DecodedRequest): CumulativeSeries {
  if (request.signal !== 'metrics') return { keys: [], scopes: [] };
  const keys: string[] = [];
  const scopes = new Set<string>();
  for (const resource of request.resources) {
    const before = keys.length;
    for (const scope of resource.scopes) {
      const scopeOrigin = origin(resource, scope.scope.name, scope.scope.version);
      for (const metric of scope.items) {
        if (temporalityOf(metric.data) !== Temporality.Cumulative) continue;
        for (const point of metricPoints(metric)) keys.push(seriesKey(scopeOrigin, metric, point));
      }
    }
    if (keys.length > before) scopes.add(recordId('resource', canonicalAttributes(resource.resource.attributes)));
  }
  return { keys, scopes: [...scopes] };
}

const MAX_FOR_RULE: Readonly<Record<MetricRule['use'], number>> = {
  tokens: MAX_TOKENS_PER_POINT,
  reported_cost: MAX_COST_USD_PER_POINT,
  activity: MAX_ACTIVITY_PER_POINT,
  ignore: Number.POSITIVE_INFINITY,
};

/**
 * Turns one decoded request into canonical records: each client's dialect through its adapter, cumulative
 * points into deltas against `state`, token points of one call into one priced usage record.
 */
export class RequestNormalizer {
  readonly #state: ReadonlyMap<string, SeriesState>;
  readonly #pricer: Pricer;
  readonly #metricScopes: MetricScope[] = [];
  readonly result: NormalizeResult = {
    records: [],
    accepted: 0,
    rejected: new Map(),
    ignored: new Map(),
    unknown: new Map(),
    unpriced: new Map(),
    stateUpdates: new Map(),
  };

  constructor(state: ReadonlyMap<string, SeriesState>, pricer: Pricer) {
    this.#state = state;
    this.#pricer = pricer;
  }

  normalize(request: DecodedRequest): NormalizeResult {
    if (request.signal === 'metrics') {
      for (const resource of request.resources) this.#metricsResource(resource);
      this.#flushGroups();
    } else if (request.signal === 'logs') {
      for (const resource of request.resources) this.#logsResource(resource);
    }
    return this.result;
  }

  #reject(reason: string, count = 1): void {
    increment(this.result.rejected, reason, count);
  }

  #metricsResource(resource: ResourceItems<Metric>): void {
    const attributes = resource.resource.attributes;
    const adapter = adapterFor(attributes);
    for (const scope of resource.scopes) {
      const metricScope = { adapter, resource: attributes, origin: origin(resource, scope.scope.name, scope.scope.version), groups: new Map() };
      this.#metricScopes.push(metricScope);
      for (const metric of scope.items) this.#metric(metricScope, metric);
    }
  }

  #metric(scope: MetricScope, metric: Metric): void {
    const points = metricPoints(metric);
    const rule = scope.adapter.metricRule(metric.name);
    if (rule === undefined) {
      increment(this.result.unknown, metric.name, points.length);
      return;
    }
    if (rule.use === 'ignore') {
      increment(this.result.ignored, metric.name, points.length);
      this.result.accepted += points.length;
      return;
    }
    const { data } = metric;
    if (data.kind !== 'sum' && data.kind !== 'histogram') {
      this.#reject(`${metric.name}: a ${data.kind} cannot carry usage, expected a sum or histogram`, points.length);
      return;
    }
    if (data.temporality === Temporality.Unspecified) {
      this.#reject(`${metric.name}: aggregation temporality unspecified`, points.length);
      return;
    }
    for (const point of points) {
      const value = pointValue(data, point);
      const invalid = invalidValueReason(value, MAX_FOR_RULE[rule.use]);
      if (invalid !== null) {
        this.#reject(`${metric.name}: ${invalid}`);
        continue;
      }
      const delta = data.temporality === Temporality.Cumulative ? this.#delta(scope, metric, point, value as number) : { value: value as number, idParts: [] };
      this.result.accepted += 1;
      if (delta === null) continue;
      this.#applyRule(scope, metric.name, rule, point, delta);
    }
  }

  /**
   * Null when the snapshot was already counted. A snapshot in the same instant as its baseline adds its
   * cumulative value to the record id: the time alone would give it the previous snapshot's id, and the
   * store would drop it as a duplicate. Other ids stay as they were, so replays of history match.
   */
  #delta(scope: MetricScope, metric: Metric, point: Point, value: number): PointDelta | null {
    const key = seriesKey(scope.origin, metric, point);
    const updates = this.result.stateUpdates;
    const outcome = cumulativeDelta(updates.get(key) ?? this.#state.get(key), point.timeUnixNano, value);
    if (outcome.kind === 'seen') return null;
    updates.set(key, outcome.next);
    return { value: outcome.delta, idParts: outcome.sameInstant ? [`cumulative=${value}`] : [] };
  }

  #applyRule(scope: MetricScope, metricName: string, rule: Exclude<MetricRule, { use: 'ignore' }>, point: Point, delta: PointDelta): void {
    const { value } = delta;
    switch (rule.use) {
      case 'tokens': {
        const type = stringAttr(point.attributes, rule.typeAttribute);
        if (type === null || !rule.tokenTypes.includes(type)) {
          this.result.accepted -= 1;
          this.#reject(`${metricName}: unknown ${rule.typeAttribute} "${type ?? ''}"`);
          return;
        }
        const group = this.#group(scope, point, rule.typeAttribute);
        group.idParts.push(...delta.idParts);
        group.raw[type] = (group.raw[type] ?? 0) + value;
        group.toCanonical = rule.toCanonical;
        group.model ??= firstString(rule.modelAttributes, point.attributes);
        return;
      }
      case 'reported_cost': {
        const group = this.#group(scope, point, null);
        group.idParts.push(...delta.idParts);
        group.reportedCostUsd = (group.reportedCostUsd ?? 0) + value;
        group.model ??= firstString(rule.modelAttributes, point.attributes);
        return;
      }
      case 'activity': {
        const metrics = rule.metrics(point.attributes);
        if (metrics === null) {
          this.result.accepted -= 1;
          this.#reject(`${metricName}: point measures no known activity`);
          return;
        }
        if (value === 0) return;
        const model = rule.modelAttributes === undefined ? null : firstString(rule.modelAttributes, point.attributes);
        const detail = rule.detailAttribute === undefined ? null : stringAttr(point.attributes, rule.detailAttribute);
        const context = scope.adapter.context(scope.resource, point.attributes);
        const baseId = recordId(
          scope.origin,
          metricName,
          canonicalAttributes(point.attributes),
          String(point.startTimeUnixNano),
          String(point.timeUnixNano),
          ...delta.idParts,
        );
        for (const metric of metrics) {
          this.#activity(context, recordId(baseId, metric), point.timeUnixNano, metric, value, model, detail);
        }
        return;
      }
    }
  }

  #group(scope: MetricScope, point: Point, typeAttribute: string | null): UsageGroup {
    const attrsKey = canonicalAttributes(point.attributes, typeAttribute ?? undefined);
    let byTime = scope.groups.get(attrsKey);
    if (byTime === undefined) {
      byTime = new Map();
      scope.groups.set(attrsKey, byTime);
    }
    let group = byTime.get(point.timeUnixNano);
    if (group === undefined) {
      group = {
        scope,
        attrs: point.attributes,
        timeUnixNano: point.timeUnixNano,
        startTimeUnixNano: point.startTimeUnixNano,
        attrsKey,
        raw: {},
        toCanonical: null,
        model: null,
        reportedCostUsd: null,
        points: 0,
        idParts: [],
      };
      byTime.set(point.timeUnixNano, group);
    }
    group.points += 1;
    if (point.startTimeUnixNano < group.startTimeUnixNano) group.startTimeUnixNano = point.startTimeUnixNano;
    return group;
  }

  #flushGroups(): void {
    for (const scope of this.#metricScopes) {
      for (const byTime of scope.groups.values()) for (const group of byTime.values()) this.#flushGroup(group);
    }
    this.#metricScopes.length = 0;
  }

  #flushGroup(group: UsageGroup): void {
    if (group.model === null) {
      this.result.accepted -= group.points;
      this.#reject('token usage without a model', group.points);
      return;
    }
    const tokens = group.toCanonical === null ? ZERO_TOKENS : group.toCanonical(group.raw);
    const invalid = invalidTokens(tokens);
    if (invalid !== null) {
      this.result.accepted -= group.points;
      this.#reject(invalid, group.points);
      return;
    }
    if (isZero(tokens) && !group.reportedCostUsd) return;
    const context = group.scope.adapter.context(group.scope.resource, group.attrs);
    const id = recordId('usage', group.scope.origin, group.attrsKey, String(group.startTimeUnixNano), String(group.timeUnixNano), ...group.idParts);
    this.#usage(context, id, group.timeUnixNano, group.model, tokens, group.reportedCostUsd);
  }

  #usage(context: RecordContext, id: string, time: bigint, rawModel: string, tokens: TokenCounts, reportedCostUsd: number | null): void {
    const model = normalizeModelName(rawModel);
    const time_ms = nanosToMillis(time);
    const quote = this.#pricer.price(model, tokens, time_ms);
    if (quote.estimated_cost_usd === null) increment(this.result.unpriced, model, totalTokens(tokens));
    this.result.records.push({
      kind: 'usage',
      id,
      time_ms,
      ...context,
      model,
      ...tokens,
      estimated_cost_usd: quote.estimated_cost_usd,
      reported_cost_usd: reportedCostUsd,
      price_version: quote.price_version,
    });
  }

  #activity(
    context: RecordContext,
    id: string,
    time: bigint,
    metric: ActivityMetric,
    value: number,
    model: string | null,
    detail: string | null,
  ): void {
    this.result.records.push({
      kind: 'activity',
      id,
      time_ms: nanosToMillis(time),
      ...context,
      metric,
      value,
      model: model === null ? null : normalizeModelName(model),
      detail,
    });
  }

  #logsResource(resource: ResourceItems<LogRecord>): void {
    const attributes = resource.resource.attributes;
    const adapter = adapterFor(attributes);
    for (const scope of resource.scopes) {
      const scopeOrigin = origin(resource, scope.scope.name, scope.scope.version);
      for (const record of scope.items) this.#logRecord(adapter, attributes, scopeOrigin, record);
    }
  }

  #logRecord(adapter: SourceAdapter, resource: Attributes, scopeOrigin: string, record: LogRecord): void {
    // Codex fills LogRecord.eventName with a call-site string; the attribute is what every client agrees on.
    const eventName = stringAttr(record.attributes, 'event.name') ?? (record.eventName === '' ? null : record.eventName);
    if (eventName === null) {
      increment(this.result.unknown, '(log record without event.name)', 1);
      return;
    }
    // Codex sends timeUnixNano=0; the observed time is when the event was recorded.
    const time = record.timeUnixNano !== 0n ? record.timeUnixNano : record.observedTimeUnixNano;
    const emitted = this.result.records.length;
    let rejected = false;
    const context = (): RecordContext => adapter.context(resource, record.attributes);
    const baseId = (): string => recordId(scopeOrigin, eventName, canonicalAttributes(record.attributes), String(time));
    const sink: EventSink = {
      usage: (model, tokens, reportedCostUsd) => {
        const invalid = invalidTokens(tokens) ?? invalidValueReason(reportedCostUsd ?? 0, MAX_COST_USD_PER_POINT);
        if (invalid !== null) sink.reject(invalid);
        else this.#usage(context(), recordId('usage', baseId()), time, model, tokens, reportedCostUsd);
      },
      request: (fields) => {
        const invalid = invalidTokens(fields) ?? invalidValueReason(fields.reported_cost_usd ?? 0, MAX_COST_USD_PER_POINT);
        if (invalid !== null) sink.reject(invalid);
        else this.#request(context(), recordId('request', baseId()), time, fields);
      },
      activity: (metric, value, model, detail) => {
        this.#activity(context(), recordId('activity', baseId(), metric), time, metric, value, model, detail);
      },
      reject: (reason) => {
        rejected = true;
        this.#reject(`${eventName}: ${reason}`);
      },
    };
    if (time === 0n) {
      sink.reject('no timestamp');
      return;
    }
    const known = adapter.handleEvent(eventName, record, sink);
    if (!known) {
      increment(this.result.unknown, eventName, 1);
      return;
    }
    if (rejected) {
      // A rejected event stores nothing: a request record without its usage would mislead drill-down.
      this.result.records.length = emitted;
      return;
    }
    this.result.accepted += 1;
    if (this.result.records.length === emitted) increment(this.result.ignored, eventName, 1);
  }

  #request(context: RecordContext, id: string, time: bigint, fields: RequestFields): void {
    const model = normalizeModelName(fields.model);
    const time_ms = nanosToMillis(time);
    const quote = this.#pricer.price(model, fields, time_ms);
    this.result.records.push({
      kind: 'request',
      id,
      time_ms,
      ...context,
      event: fields.event,
      model,
      request_id: fields.request_id,
      duration_ms: fields.duration_ms,
      status_code: fields.status_code,
      error: fields.error,
      input_tokens: fields.input_tokens,
      cache_read_tokens: fields.cache_read_tokens,
      cache_write_tokens: fields.cache_write_tokens,
      output_tokens: fields.output_tokens,
      reasoning_tokens: fields.reasoning_tokens,
      estimated_cost_usd: quote.estimated_cost_usd,
      reported_cost_usd: fields.reported_cost_usd,
      price_version: quote.price_version,
    } satisfies CanonicalRecord);
  }
}

const ZERO_TOKENS: TokenCounts = {
  input_tokens: 0,
  cache_read_tokens: 0,
  cache_write_tokens: 0,
  output_tokens: 0,
  reasoning_tokens: 0,
};

function totalTokens(tokens: TokenCounts): number {
  return tokens.input_tokens + tokens.cache_read_tokens + tokens.cache_write_tokens + tokens.output_tokens;
}

function isZero(tokens: TokenCounts): boolean {
  return totalTokens(tokens) === 0;
}

/** A source whose parts contradict each other (cache above input, reasoning above output) is not metered. */
export function invalidTokens(tokens: TokenCounts): string | null {
  for (const field of TOKEN_FIELDS) {
    const invalid = invalidValueReason(tokens[field], MAX_TOKENS_PER_POINT);
    if (invalid !== null) return `${field}: ${invalid}`;
  }
  if (tokens.reasoning_tokens > tokens.output_tokens) return 'reasoning tokens exceed output tokens';
  return null;
}

export function normalizeRequest(
  request: DecodedRequest,
  state: ReadonlyMap<string, SeriesState>,
  pricer: Pricer,
): NormalizeResult {
  return new RequestNormalizer(state, pricer).normalize(request);
}
