/** SeatmeterPipeline placed in a team's own app: settings checked on construction, nothing named that could collide. */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { PipelineConfigError } from '../../lib/pipeline-config.ts';
import { SeatmeterPipeline } from '../../lib/seatmeter-pipeline.ts';

/** Bundling and validation skipped: these tests look at names and settings, not at the receiver's code. */
const appWithoutBundling = (): App => new App({ context: { 'aws:cdk:bundling-stacks': [] }, builtinCloudFormationValidation: false });

describe('SeatmeterPipeline in a team app', () => {
  it('refuses bad settings when constructed, naming each one', () => {
    const stack = new Stack(appWithoutBundling(), 'Team');
    const construct = () => new SeatmeterPipeline(stack, 'Meter', { throttleBurstLimit: 0, oktaOrgUrl: 'https://acme.okta.com', teamGroups: 'a,a' });
    expect(construct).toThrow(expect.objectContaining({
      constructor: PipelineConfigError,
      problems: [expect.stringContaining('throttleBurstLimit must be a whole number'), expect.stringContaining('teamGroups: group "a" is listed twice')],
    }));
  });

  it('carries its cdk-nag acknowledgments with it, so a team app without our cdk.json flags passes AwsSolutionsChecks', () => {
    const app = appWithoutBundling();
    new SeatmeterPipeline(new Stack(app, 'Team'), 'Meter');
    expect(new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(app).violations).toEqual([]);
  });

  it('names no bucket, function, API, secret, table or database, so two pipelines fit in one account', () => {
    const app = appWithoutBundling();
    const stacks = ['Dev', 'Prod'].map((name) => new Stack(app, name));
    for (const stack of stacks) new SeatmeterPipeline(stack, 'Meter');
    const templates = stacks.map((stack) => Template.fromStack(stack));
    const namingProperties: Record<string, string> = {
      'AWS::S3::Bucket': 'BucketName',
      'AWS::Lambda::Function': 'FunctionName',
      'AWS::SecretsManager::Secret': 'Name',
      'AWS::DynamoDB::Table': 'TableName',
      'AWS::Timestream::Database': 'DatabaseName',
      'AWS::SNS::Topic': 'TopicName',
      'AWS::IAM::Role': 'RoleName',
      'AWS::Logs::LogGroup': 'LogGroupName',
    };
    // The two names the services require are derived from the construct path, so they differ between the stacks.
    const required = (type: string, read: (properties: Record<string, unknown>) => unknown) =>
      templates.map((template) => (Object.values(template.findResources(type)) as { Properties: Record<string, unknown> }[]).map((resource) => read(resource.Properties)));
    const [devDatabase, prodDatabase] = required('AWS::Glue::Database', (properties) => (properties.DatabaseInput as { Name: string }).Name);
    const [devWorkgroup, prodWorkgroup] = required('AWS::Athena::WorkGroup', (properties) => properties.Name);
    expect(devDatabase).toHaveLength(1);
    expect(devDatabase).not.toEqual(prodDatabase);
    expect(devWorkgroup).toHaveLength(1);
    expect(devWorkgroup).not.toEqual(prodWorkgroup);
    for (const template of templates) {
      for (const [type, property] of Object.entries(namingProperties)) {
        const resources = Object.values(template.findResources(type)) as { Properties?: Record<string, unknown> }[];
        expect(resources.length).toBeGreaterThan(0);
        for (const resource of resources) expect(resource.Properties?.[property]).toBeUndefined();
      }
    }
  });
});
