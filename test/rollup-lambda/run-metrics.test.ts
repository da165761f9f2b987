import { describe, expect, it } from 'vitest';
import { ROLLUP_METRICS, ROLLUP_SERVICE, rollupRunDocument } from '../../lambdas/rollup-lambda/run-metrics.ts';
import { dimensionValues, directives, metricValues } from '../support/emf-reading.ts';

const AT = Date.parse('2026-11-23T01:31:12.000Z');

describe('rollupRunDocument', () => {
  it('declares the three run metrics under Service=rollup in the given namespace, a success as 1/0', () => {
    const document = rollupRunDocument({ days: ['2026-11-21', '2026-11-22'], durationMs: 41_250 }, AT, 'Seatmeter/dev');
    expect(directives(document)).toEqual([
      {
        Namespace: 'Seatmeter/dev',
        Dimensions: [['Service']],
        Metrics: [
          { Name: ROLLUP_METRICS.succeeded, Unit: 'Count' },
          { Name: ROLLUP_METRICS.failed, Unit: 'Count' },
          { Name: ROLLUP_METRICS.durationMs, Unit: 'Milliseconds' },
        ],
      },
    ]);
    expect(dimensionValues(document)).toEqual({ Service: ROLLUP_SERVICE });
    expect(metricValues(document)).toEqual({ RollupSucceeded: 1, RollupFailed: 0, RollupDurationMs: 41_250 });
    expect(document).toMatchObject({ _aws: { Timestamp: AT }, message: 'rollup run done', days: ['2026-11-21', '2026-11-22'] });
    expect(document).not.toHaveProperty('error');
  });

  it('reports a failure as 0/1 with the error name, zero metrics included', () => {
    const document = rollupRunDocument({ days: [], durationMs: 3, failure: 'RollupInputError' }, AT, 'Seatmeter');
    expect(metricValues(document)).toEqual({ RollupSucceeded: 0, RollupFailed: 1, RollupDurationMs: 3 });
    expect(document).toMatchObject({ message: 'rollup run failed', days: [], error: 'RollupInputError' });
  });
});
