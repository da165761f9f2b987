/** The CDK app that cdk.json runs. */
import { App } from 'aws-cdk-lib';
import { PipelineConfigError } from '../lib/pipeline-config.ts';
import { buildSeatmeterApp } from '../lib/seatmeter-app.ts';

const app = new App();
try {
  buildSeatmeterApp(app);
} catch (error) {
  if (!(error instanceof PipelineConfigError)) throw error;
  process.stderr.write(`${error.message}\nSet them in cdk.json "context" or with -c seatmeter:<name>=<value>; see README, Deploy.\n`);
  process.exit(1);
}
