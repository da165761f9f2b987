import { emfDocument } from '../metrics/emf.ts';

/**
 * What each rollup run must publish, for the pipeline board (dashboards/grafana/seatmeter-pipeline.json,
 * generated from bin/dashboards/pipeline-board.ts): one CloudWatch Embedded Metric Format line per run, written
 * the way the receiver writes its own (lambdas/metrics/emf.ts), in the same namespace
 * (`SEATMETER_METRICS_NAMESPACE`, default `Seatmeter`) with the single dimension `Service` = ROLLUP_SERVICE.
 * Every metric is present on every run, zero included, so an alarm on failures never sees a gap.
 */
export const ROLLUP_SERVICE = 'rollup';

export const ROLLUP_METRICS = {
  /** Count: 1 when the run wrote its day completely, else 0. */
  succeeded: 'RollupSucceeded',
  /** Count: 1 when the run gave up (a source unreadable, a write refused), else 0. */
  failed: 'RollupFailed',
  /** Milliseconds: the run's wall-clock time, start to last write. */
  durationMs: 'RollupDurationMs',
} as const;

/** One invocation of the rollup, as its metrics line reports it. */
export interface RollupRun {
  /** The days the event asked for; empty when the event itself was refused. */
  readonly days: readonly string[];
  readonly durationMs: number;
  /** The error's name when the run failed: its message goes to the log with the thrown error, not here. */
  readonly failure?: string;
}

export function rollupRunDocument(run: RollupRun, timestampMs: number, namespace: string): Record<string, unknown> {
  const failed = run.failure !== undefined;
  return emfDocument({
    namespace,
    dimensions: { Service: ROLLUP_SERVICE },
    timestampMs,
    properties: { message: failed ? 'rollup run failed' : 'rollup run done', days: run.days, ...(failed ? { error: run.failure } : {}) },
    metrics: [
      { name: ROLLUP_METRICS.succeeded, unit: 'Count', value: failed ? 0 : 1 },
      { name: ROLLUP_METRICS.failed, unit: 'Count', value: failed ? 1 : 0 },
      { name: ROLLUP_METRICS.durationMs, unit: 'Milliseconds', value: run.durationMs },
    ],
  });
}
