import type { HistogramDataPoint, Metric, NumberDataPoint } from './types.ts';
import { Temporality } from './types.ts';

export type Point = NumberDataPoint | HistogramDataPoint;

/** A sum's or gauge's value, a histogram's sum. */
export function pointValue(data: Metric['data'], point: Point): number | null {
  return data.kind === 'sum' || data.kind === 'gauge' ? (point as NumberDataPoint).value : (point as HistogramDataPoint).sum;
}

export function metricPoints(metric: Metric): readonly Point[] {
  return metric.data.kind === 'empty' ? [] : metric.data.points;
}

export function temporalityOf(data: Metric['data']): Temporality {
  return 'temporality' in data ? data.temporality : Temporality.Unspecified;
}
