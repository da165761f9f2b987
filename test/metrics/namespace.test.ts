import { describe, expect, it } from 'vitest';
import { MetricsConfigError, metricsNamespaceFrom } from '../../lambdas/metrics/namespace.ts';

describe('metricsNamespaceFrom', () => {
  it.each([
    [{}, 'Seatmeter'],
    [{ SEATMETER_METRICS_NAMESPACE: '  ' }, 'Seatmeter'],
    [{ SEATMETER_METRICS_NAMESPACE: ' Seatmeter/staging ' }, 'Seatmeter/staging'],
  ])('reads %j as %s', (env, namespace) => {
    expect(metricsNamespaceFrom(env)).toBe(namespace);
  });

  it.each(['AWS/Lambda', 'Seat|meter', 'x'.repeat(256)])('refuses %s, which CloudWatch would refuse', (namespace) => {
    expect(() => metricsNamespaceFrom({ SEATMETER_METRICS_NAMESPACE: namespace })).toThrow(MetricsConfigError);
  });
});
