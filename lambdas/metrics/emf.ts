/**
 * CloudWatch Embedded Metric Format: a structured log line that also declares metrics. CloudWatch Logs extracts
 * them as it ingests the line, so a Lambda (the receiver per request, the rollup per run) publishes metrics
 * without an API call or any added latency.
 */
export type EmfUnit = 'Count' | 'Milliseconds';

export interface EmfMetric {
  readonly name: string;
  readonly unit: EmfUnit;
  readonly value: number;
}

export interface EmfInput {
  readonly namespace: string;
  /** One dimension set. Every distinct combination of values is a metric of its own, billed: keep values few. */
  readonly dimensions: Readonly<Record<string, string>>;
  readonly metrics: readonly EmfMetric[];
  /** Plain members for Logs Insights; CloudWatch extracts nothing from them. */
  readonly properties: Readonly<Record<string, unknown>>;
  /** Epoch milliseconds: the minute the metric values are counted in. */
  readonly timestampMs: number;
}

export function emfDocument(input: EmfInput): Record<string, unknown> {
  return {
    _aws: {
      Timestamp: input.timestampMs,
      CloudWatchMetrics: [
        {
          Namespace: input.namespace,
          Dimensions: [Object.keys(input.dimensions)],
          Metrics: input.metrics.map((metric) => ({ Name: metric.name, Unit: metric.unit })),
        },
      ],
    },
    ...input.properties,
    // Last, so that a property of the same name can never replace a value CloudWatch extracts.
    ...input.dimensions,
    ...Object.fromEntries(input.metrics.map((metric) => [metric.name, metric.value])),
  };
}
