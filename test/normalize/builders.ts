import type { Attributes, DecodedRequest, LogRecord, Metric, NumberDataPoint } from '../../lambdas/otlp/types.ts';
import { Temporality } from '../../lambdas/otlp/types.ts';

/** Nanosecond timestamps for hand-built requests: second `s` of 2026-11-22T10:00:00Z. */
export function at(s: number): bigint {
  return (BigInt(Date.parse('2026-11-22T10:00:00Z')) + BigInt(s * 1000)) * 1_000_000n;
}

export function sumPoint(attributes: Attributes, value: number | null, time: bigint, start = at(0)): NumberDataPoint {
  return { attributes, startTimeUnixNano: start, timeUnixNano: time, value };
}

export function sumMetric(name: string, points: NumberDataPoint[], temporality: Temporality = Temporality.Delta): Metric {
  return { name, unit: '', data: { kind: 'sum', temporality, monotonic: true, points } };
}

export function metricsRequest(resource: Attributes, metrics: Metric[]): DecodedRequest {
  return {
    signal: 'metrics',
    resources: [{ resource: { attributes: resource }, scopes: [{ scope: { name: 'test', version: '1', attributes: {} }, items: metrics }] }],
  };
}

export function logRecord(attributes: Attributes, time: bigint, observed = time): LogRecord {
  return { timeUnixNano: time, observedTimeUnixNano: observed, severityNumber: 9, severityText: '', attributes, eventName: '' };
}

export function logsRequest(resource: Attributes, records: LogRecord[]): DecodedRequest {
  return {
    signal: 'logs',
    resources: [{ resource: { attributes: resource }, scopes: [{ scope: { name: 'test', version: '1', attributes: {} }, items: records }] }],
  };
}
