import type { DecodedRequest } from '../otlp/types.ts';
import type { SeriesState } from '../temporality/series-state.ts';
import { normalizeLogs } from './logs.ts';
import { MetricsNormalizer } from './metrics.ts';
import { emptyOutcome } from './outcome.ts';
import type { NormalizeOutcome } from './types.ts';

export interface NormalizeResult extends NormalizeOutcome {
  /** New cumulative baselines; save them only once the records are stored. */
  readonly stateUpdates: ReadonlyMap<string, SeriesState>;
}

/**
 * One decoded request into canonical records, not yet priced; cumulative points become deltas against
 * `state`, the baselines saved for their series.
 */
export function normalizeRequest(request: DecodedRequest, state: ReadonlyMap<string, SeriesState>): NormalizeResult {
  const outcome = emptyOutcome();
  if (request.signal === 'metrics') {
    const metrics = new MetricsNormalizer(state, outcome);
    for (const resource of request.resources) metrics.resource(resource);
    metrics.flush();
    return { ...outcome, stateUpdates: metrics.stateUpdates };
  }
  if (request.signal === 'logs') for (const resource of request.resources) normalizeLogs(resource, outcome);
  return { ...outcome, stateUpdates: new Map() };
}
