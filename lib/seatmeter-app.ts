import { Validations } from 'aws-cdk-lib';
import type { App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { pipelinePropsFromContext } from './pipeline-config.ts';
import { SeatmeterStack } from './seatmeter-stack.ts';

const STACK_NAME = 'Seatmeter';

/**
 * Fills the app: the seatmeter stack with its settings from the `seatmeter:<name>` context keys, and cdk-nag's
 * AWS Solutions rules run at every synth (a finding that is not acknowledged with a reason fails it).
 * Throws `PipelineConfigError` for a bad setting.
 */
export function buildSeatmeterApp(app: App): SeatmeterStack {
  const pipeline = pipelinePropsFromContext(app.node.getAllContext());
  const store = pipeline.store === 'lake' ? 'lake store (Firehose, S3, Athena)' : 'Timestream store';
  const stack = new SeatmeterStack(app, STACK_NAME, { description: `seatmeter: OTLP ingest, ${store}, team rollup and alarms for AI coding agent usage`, pipeline });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return stack;
}
