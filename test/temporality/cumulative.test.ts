import { describe, expect, it } from 'vitest';
import { cumulativeDelta } from '../../lambdas/temporality/cumulative.ts';

const baseline = { timeUnixNano: 2_000n, value: 100 };

describe('cumulativeDelta', () => {
  it('counts the first snapshot of a series in full', () => {
    expect(cumulativeDelta(undefined, 1_000n, 40)).toEqual({ kind: 'delta', delta: 40, next: { timeUnixNano: 1_000n, value: 40 }, sameInstant: false });
  });

  it('counts the growth since the baseline', () => {
    expect(cumulativeDelta(baseline, 3_000n, 130)).toEqual({ kind: 'delta', delta: 30, next: { timeUnixNano: 3_000n, value: 130 }, sameInstant: false });
  });

  it('treats a drop within the series as a reset and counts the new value in full', () => {
    expect(cumulativeDelta(baseline, 3_000n, 7)).toMatchObject({ kind: 'delta', delta: 7, sameInstant: false });
  });

  it('has seen a snapshot older than the baseline, or the baseline itself again', () => {
    expect(cumulativeDelta(baseline, 1_999n, 500)).toEqual({ kind: 'seen' });
    expect(cumulativeDelta(baseline, 2_000n, 100)).toEqual({ kind: 'seen' });
  });

  it('counts a higher value stamped in the same instant as the baseline, and marks it', () => {
    expect(cumulativeDelta(baseline, 2_000n, 150)).toEqual({ kind: 'delta', delta: 50, next: { timeUnixNano: 2_000n, value: 150 }, sameInstant: true });
  });

  it('has seen a lower value in the same instant: an earlier snapshot arriving late', () => {
    expect(cumulativeDelta(baseline, 2_000n, 90)).toEqual({ kind: 'seen' });
  });
});
