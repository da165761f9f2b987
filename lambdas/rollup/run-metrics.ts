/**
 * What each rollup run must publish, for the pipeline board (dashboards/grafana/seatmeter-pipeline.json,
 * generated from bin/dashboards/pipeline-board.ts): one CloudWatch Embedded Metric Format line per run, written
 * the way the receiver writes its own (lambdas/receiver/emf.ts), in the same namespace
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
