/** Reads an EMF document the way CloudWatch does, so tests can assert on what it would extract. */
export interface EmfDirective {
  readonly Namespace: string;
  readonly Dimensions: readonly (readonly string[])[];
  readonly Metrics: readonly { readonly Name: string; readonly Unit: string }[];
}

export function directives(document: Readonly<Record<string, unknown>>): readonly EmfDirective[] {
  return (document._aws as { readonly CloudWatchMetrics: readonly EmfDirective[] }).CloudWatchMetrics;
}

/** Each declared metric's value, taken from the document's top level by the metric's name. */
export function metricValues(document: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(directives(document).flatMap((directive) => directive.Metrics.map((metric) => [metric.Name, document[metric.Name]])));
}

/** Each dimension's value, taken from the document's top level by the dimension's name. */
export function dimensionValues(document: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(directives(document).flatMap((directive) => directive.Dimensions.flat().map((name) => [name, document[name]])));
}
