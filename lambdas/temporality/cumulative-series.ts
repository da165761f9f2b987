import { canonicalAttributes, scopeOrigin } from '../otlp/canonical-attributes.ts';
import { metricPoints, temporalityOf } from '../otlp/points.ts';
import type { Point } from '../otlp/points.ts';
import type { DecodedRequest, Metric } from '../otlp/types.ts';
import { Temporality } from '../otlp/types.ts';
import { recordId } from '../records/identity.ts';

/** The key of a cumulative series' saved baseline: its origin, metric, attributes and start time. */
export function seriesKey(origin: string, metric: Metric, point: Point): string {
  return recordId('series', origin, metric.name, canonicalAttributes(point.attributes), String(point.startTimeUnixNano));
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
      const origin = scopeOrigin(resource, scope.scope.name, scope.scope.version);
      for (const metric of scope.items) {
        if (temporalityOf(metric.data) !== Temporality.Cumulative) continue;
        for (const point of metricPoints(metric)) keys.push(seriesKey(origin, metric, point));
      }
    }
    if (keys.length > before) scopes.add(recordId('resource', canonicalAttributes(resource.resource.attributes)));
  }
  return { keys, scopes: [...scopes] };
}
