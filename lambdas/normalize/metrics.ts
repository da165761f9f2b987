import { canonicalAttributes, scopeOrigin } from '../otlp/canonical-attributes.ts';
import { metricPoints, pointValue } from '../otlp/points.ts';
import type { Point } from '../otlp/points.ts';
import type { Attributes, Metric, ResourceItems } from '../otlp/types.ts';
import { Temporality } from '../otlp/types.ts';
import { recordId } from '../records/identity.ts';
import type { TokenCounts } from '../records/types.ts';
import { ZERO_TOKENS, billableTokens } from '../records/types.ts';
import { cumulativeDelta } from '../temporality/cumulative.ts';
import { seriesKey } from '../temporality/cumulative-series.ts';
import type { SeriesState } from '../temporality/series-state.ts';
import { adapterFor } from './adapters.ts';
import { firstString, stringAttr } from './attributes.ts';
import { increment } from './counts.ts';
import { reject } from './outcome.ts';
import { activityRecord, usageRecord } from './records.ts';
import { invalidTokens } from './tokens.ts';
import type { MetricRule, NormalizeOutcome, RawTokens, SourceAdapter } from './types.ts';
import { MAX_ACTIVITY_PER_POINT, MAX_COST_USD_PER_POINT, MAX_TOKENS_PER_POINT, invalidValueReason } from './values.ts';

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
  /** Id parts of same-instant cumulative snapshots (see MetricsNormalizer#delta). */
  readonly idParts: string[];
}

/** A point's contribution: its delta, and what its record id needs beyond the point's own identity. */
interface PointDelta {
  readonly value: number;
  readonly idParts: readonly string[];
}

const MAX_FOR_RULE: Readonly<Record<MetricRule['use'], number>> = {
  tokens: MAX_TOKENS_PER_POINT,
  reported_cost: MAX_COST_USD_PER_POINT,
  activity: MAX_ACTIVITY_PER_POINT,
  ignore: Number.POSITIVE_INFINITY,
};

/**
 * Metric points into records: each client's dialect through its adapter, cumulative points into deltas
 * against the saved baselines, the token points of one call into one usage record.
 */
export class MetricsNormalizer {
  readonly #state: ReadonlyMap<string, SeriesState>;
  readonly #outcome: NormalizeOutcome;
  readonly #scopes: MetricScope[] = [];
  /** New cumulative baselines; save them only once the records are stored. */
  readonly stateUpdates = new Map<string, SeriesState>();

  constructor(state: ReadonlyMap<string, SeriesState>, outcome: NormalizeOutcome) {
    this.#state = state;
    this.#outcome = outcome;
  }

  resource(resource: ResourceItems<Metric>): void {
    const attributes = resource.resource.attributes;
    const adapter = adapterFor(attributes);
    for (const scope of resource.scopes) {
      const metricScope = { adapter, resource: attributes, origin: scopeOrigin(resource, scope.scope.name, scope.scope.version), groups: new Map() };
      this.#scopes.push(metricScope);
      for (const metric of scope.items) this.#metric(metricScope, metric);
    }
  }

  /** Turns the groups of every resource seen into usage records; call once, after the last resource. */
  flush(): void {
    for (const scope of this.#scopes) {
      for (const byTime of scope.groups.values()) for (const group of byTime.values()) this.#flushGroup(group);
    }
    this.#scopes.length = 0;
  }

  #metric(scope: MetricScope, metric: Metric): void {
    const points = metricPoints(metric);
    const rule = scope.adapter.metricRule(metric.name);
    if (rule === undefined) {
      increment(this.#outcome.unknown, metric.name, points.length);
      return;
    }
    if (rule.use === 'ignore') {
      increment(this.#outcome.ignored, metric.name, points.length);
      this.#outcome.accepted += points.length;
      return;
    }
    const { data } = metric;
    if (data.kind !== 'sum' && data.kind !== 'histogram') {
      reject(this.#outcome, `${metric.name}: a ${data.kind} cannot carry usage, expected a sum or histogram`, points.length);
      return;
    }
    if (data.temporality === Temporality.Unspecified) {
      reject(this.#outcome, `${metric.name}: aggregation temporality unspecified`, points.length);
      return;
    }
    for (const point of points) {
      const value = pointValue(data, point);
      const invalid = invalidValueReason(value, MAX_FOR_RULE[rule.use]);
      if (invalid !== null) {
        reject(this.#outcome, `${metric.name}: ${invalid}`);
        continue;
      }
      const delta = data.temporality === Temporality.Cumulative ? this.#delta(scope, metric, point, value as number) : { value: value as number, idParts: [] };
      this.#outcome.accepted += 1;
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
    const outcome = cumulativeDelta(this.stateUpdates.get(key) ?? this.#state.get(key), point.timeUnixNano, value);
    if (outcome.kind === 'seen') return null;
    this.stateUpdates.set(key, outcome.next);
    return { value: outcome.delta, idParts: outcome.sameInstant ? [`cumulative=${value}`] : [] };
  }

  #applyRule(scope: MetricScope, metricName: string, rule: Exclude<MetricRule, { use: 'ignore' }>, point: Point, delta: PointDelta): void {
    const { value } = delta;
    switch (rule.use) {
      case 'tokens': {
        const type = stringAttr(point.attributes, rule.typeAttribute);
        if (type === null || !rule.tokenTypes.includes(type)) {
          this.#outcome.accepted -= 1;
          reject(this.#outcome, `${metricName}: unknown ${rule.typeAttribute} "${type ?? ''}"`);
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
          this.#outcome.accepted -= 1;
          reject(this.#outcome, `${metricName}: point measures no known activity`);
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
          this.#outcome.records.push(activityRecord(context, recordId(baseId, metric), point.timeUnixNano, metric, value, model, detail));
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

  #flushGroup(group: UsageGroup): void {
    if (group.model === null) {
      this.#outcome.accepted -= group.points;
      reject(this.#outcome, 'token usage without a model', group.points);
      return;
    }
    const tokens = group.toCanonical === null ? ZERO_TOKENS : group.toCanonical(group.raw);
    const invalid = invalidTokens(tokens);
    if (invalid !== null) {
      this.#outcome.accepted -= group.points;
      reject(this.#outcome, invalid, group.points);
      return;
    }
    if (billableTokens(tokens) === 0 && !group.reportedCostUsd) return;
    const context = group.scope.adapter.context(group.scope.resource, group.attrs);
    const id = recordId('usage', group.scope.origin, group.attrsKey, String(group.startTimeUnixNano), String(group.timeUnixNano), ...group.idParts);
    this.#outcome.records.push(usageRecord(context, id, group.timeUnixNano, group.model, tokens, group.reportedCostUsd));
  }
}
