/** The CloudWatch namespace of every seatmeter metric unless a deployment sets SEATMETER_METRICS_NAMESPACE. */
export const DEFAULT_METRICS_NAMESPACE = 'Seatmeter';

/** What CloudWatch accepts as a namespace; `AWS/` is reserved for AWS's own. */
const NAMESPACE = /^(?!AWS\/)[A-Za-z0-9.\-_/#: ]{1,255}$/;

export class MetricsConfigError extends Error {
  override readonly name = 'MetricsConfigError';
}

/** Read once at cold start: a namespace CloudWatch would refuse fails the init, not every metric silently. */
export function metricsNamespaceFrom(env: NodeJS.ProcessEnv): string {
  const namespace = env.SEATMETER_METRICS_NAMESPACE?.trim() || DEFAULT_METRICS_NAMESPACE;
  if (!NAMESPACE.test(namespace)) {
    throw new MetricsConfigError(`SEATMETER_METRICS_NAMESPACE must be 1-255 of A-Z a-z 0-9 . - _ / # : and space, not starting with AWS/, got "${namespace}"`);
  }
  return namespace;
}
