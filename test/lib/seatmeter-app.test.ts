/**
 * The app as `cdk synth` builds it with the default settings: the template snapshot, cdk-nag's AWS Solutions
 * rules, CDK's CloudFormation validation, the deployment packages the functions run from, and bin/app.ts's
 * answer to a bad setting.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logicalIdOf } from '../../lib/logical-id.ts';
import { synthSeatmeterApp } from '../support/cdk-app.ts';
import type { SynthesizedApp } from '../support/cdk-app.ts';

const run = promisify(execFile);
const APP = new URL('../../bin/app.ts', import.meta.url).pathname;

let synthesized: SynthesizedApp;
beforeAll(() => {
  synthesized = synthSeatmeterApp({ cloudFormationValidation: true });
}, 180_000);
afterAll(() => synthesized.dispose());

/** Asset hashes change with every byte of the bundle; the snapshot guards the infrastructure, not the code. */
function withoutAssetHashes(template: unknown): string {
  return JSON.stringify(template, null, 2).replace(/\b[0-9a-f]{64}\b/g, '<asset hash>');
}

interface ValidationReport {
  readonly pluginReports: readonly {
    readonly pluginName: string;
    readonly violations: readonly unknown[];
    readonly suppressedViolations?: readonly { readonly ruleName: string; readonly acknowledgedAt: string; readonly reason?: string }[];
  }[];
}

describe('the synthesized template', () => {
  it('matches the reviewed snapshot', async () => {
    await expect(withoutAssetHashes(synthesized.template.toJSON())).toMatchFileSnapshot('__snapshots__/seatmeter-stack.template.json');
  });

  it('has no custom domain, no e-mail subscription, and the execute-api URL in its outputs', () => {
    synthesized.template.resourceCountIs('AWS::ApiGatewayV2::DomainName', 0);
    synthesized.template.resourceCountIs('AWS::SNS::Subscription', 0);
    const outputs = synthesized.template.toJSON().Outputs as Record<string, { Value: unknown }>;
    const apiEndpoint = { 'Fn::GetAtt': [Object.keys(synthesized.template.findResources('AWS::ApiGatewayV2::Api'))[0], 'ApiEndpoint'] };
    expect(outputs.IngestUrl?.Value).toEqual(apiEndpoint);
    expect(outputs.ClientConfigCommand?.Value).toEqual({ 'Fn::Join': ['', ['npx seatmeter client-config claude-code --endpoint ', apiEndpoint, ' --token "$SEATMETER_INGEST_TOKEN"']] });
    expect(outputs.CustomDomainTarget).toBeUndefined();
  });
});

describe('cdk-nag AwsSolutionsChecks', () => {
  it('finds nothing that is not acknowledged, errors and warnings alike', () => {
    expect(new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(synthesized.app).violations).toEqual([]);
  });

  it('is acknowledged only where reviewed, each time with a specific reason', () => {
    const acknowledged = synthesized.app.node
      .findAll()
      .flatMap((construct) => construct.node.metadata.filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY).map((entry) => [construct.node.path, entry.data as Record<string, string>] as const))
      .flatMap(([path, rules]) => Object.entries(rules).map(([rule, reason]) => ({ path, rule, reason })));
    expect(acknowledged.map(({ path, rule }) => `${path} ${rule}`)).toEqual([
      'Seatmeter/Pipeline/AccessLogs/Bucket Annotation::AwsSolutions-S1',
      'Seatmeter/Pipeline/Secrets/IngestCredentials Annotation::AwsSolutions-SMG4',
      'Seatmeter/Pipeline/Secrets/Okta Annotation::AwsSolutions-SMG4',
      'Seatmeter/Pipeline/Secrets/AnthropicAdminKey Annotation::AwsSolutions-SMG4',
      'Seatmeter/Pipeline/Secrets/SlackWebhook Annotation::AwsSolutions-SMG4',
      'Seatmeter/Pipeline/Secrets/GitHub Annotation::AwsSolutions-SMG4',
      'Seatmeter/Pipeline/TelemetryStore/Database Annotation::AwsSolutions-TS3',
      'Seatmeter/Pipeline/TelemetryStore/Database CloudFormation-Validate::W3697',
      'Seatmeter/Pipeline/TelemetryStore/Table CloudFormation-Validate::W3697',
      'Seatmeter/Pipeline/Receiver/Role Annotation::AwsSolutions-IAM5[Resource::<PipelineReceiverLogs624F0A6B.Arn>:*]',
      'Seatmeter/Pipeline/Receiver/Role Annotation::AwsSolutions-IAM5[Resource::*]',
      'Seatmeter/Pipeline/Receiver/Role Annotation::AwsSolutions-IAM5[Resource::<PipelineArchiveBucketD058960A.Arn>/raw/*]',
      'Seatmeter/Pipeline/Receiver/Function Annotation::AwsSolutions-L1',
      'Seatmeter/Pipeline/Ingest/Api Annotation::AwsSolutions-APIG4',
      'Seatmeter/Pipeline/Alarms/Topic Annotation::AwsSolutions-SNS2',
      'Seatmeter/Pipeline/Rollup/DeadLetters Annotation::AwsSolutions-SQS3',
      'Seatmeter/Pipeline/Rollup/Role Annotation::AwsSolutions-IAM5[Resource::<PipelineRollupLogsE01BAF41.Arn>:*]',
      'Seatmeter/Pipeline/Rollup/Role Annotation::AwsSolutions-IAM5[Resource::*]',
      'Seatmeter/Pipeline/Rollup/Role Annotation::AwsSolutions-IAM5[Resource::<PipelineTeamTablesBucketFF06E93F.Arn>/team_usage/*]',
      'Seatmeter/Pipeline/Rollup/Role Annotation::AwsSolutions-IAM5[Resource::<PipelineTeamTablesBucketFF06E93F.Arn>/claude_code_analytics/*]',
      'Seatmeter/Pipeline/Rollup/Role Annotation::AwsSolutions-IAM5[Resource::<PipelineTeamTablesBucketFF06E93F.Arn>/claude_code_coverage/*]',
      'Seatmeter/Pipeline/Rollup/Role Annotation::AwsSolutions-IAM5[Resource::<PipelineTeamTablesBucketFF06E93F.Arn>/team_map/*]',
      'Seatmeter/Pipeline/Rollup/Function Annotation::AwsSolutions-L1',
      'Seatmeter/Pipeline/BudgetAlerts/Topic Annotation::AwsSolutions-SNS2',
      'Seatmeter/Pipeline/BudgetAlerts/Role Annotation::AwsSolutions-IAM5[Resource::<PipelineBudgetAlertsLogs8ABFCC0A.Arn>:*]',
      'Seatmeter/Pipeline/BudgetAlerts/Function Annotation::AwsSolutions-L1',
    ]);
    for (const { reason } of acknowledged) expect(reason.length).toBeGreaterThan(80);
  });
});

describe("CDK's CloudFormation validation", () => {
  it('reports nothing but the acknowledged Timestream maintenance-mode warning', () => {
    const report = JSON.parse(readFileSync(join(synthesized.outdir, 'validation-report.json'), 'utf8')) as ValidationReport;
    expect(report.pluginReports.map((plugin) => plugin.pluginName)).toEqual(['CloudFormation Validate']);
    const [validate] = report.pluginReports;
    expect(validate?.violations).toEqual([]);
    expect(validate?.suppressedViolations?.map((finding) => [finding.ruleName, finding.acknowledgedAt])).toEqual([
      ['W3697', 'Seatmeter/Pipeline/TelemetryStore/Database'],
      ['W3697', 'Seatmeter/Pipeline/TelemetryStore/Table'],
    ]);
  });
});

describe('the deployment packages', () => {
  /** The directory of a function's asset in the cloud assembly: its template S3Key is `<asset hash>.zip`. */
  const packageDirOf = (fn: IConstruct): string => {
    const code = (synthesized.template.toJSON().Resources[logicalIdOf(fn)] as { Properties: { Code: { S3Key: string } } }).Properties.Code;
    return join(synthesized.outdir, `asset.${code.S3Key.replace(/\.zip$/, '')}`);
  };
  /** Loads the bundle as Lambda does, from the package root, with only the given environment. */
  const load = async (packageDir: string, bundle: string, environment: Record<string, string>) =>
    (
      await run(process.execPath, ['--input-type=module', '-e', `const m = await import('./${bundle}'); console.log(typeof m.handler);`], {
        cwd: packageDir,
        env: { PATH: process.env.PATH, AWS_REGION: 'us-east-1', ...environment },
      })
    ).stdout.trim();

  it.each([
    [
      'receiver',
      {
        SEATMETER_TIMESTREAM_DATABASE: 'db',
        SEATMETER_STATE_TABLE: 'state',
        SEATMETER_BUDGETS_TABLE: 'budgets',
        SEATMETER_TEAM_MAP_BUCKET: 'team',
        SEATMETER_ARCHIVE_BUCKET: 'archive',
        SEATMETER_INGEST_SECRET_ID: 'secret',
      },
    ],
    [
      'rollup',
      {
        SEATMETER_TIMESTREAM_DATABASE: 'db',
        SEATMETER_TEAM_BUCKET: 'team',
        SEATMETER_TEAM_GROUPS: 'prefix:team-',
      },
    ],
  ] as const)('of the %s are the one self-contained bundle its handler points at, and it loads', async (name, environment) => {
    const fn = synthesized.stack.pipeline[name].function;
    const packageDir = packageDirOf(fn);
    expect(readdirSync(packageDir)).toEqual(['index.mjs']);
    // Module load reads the record schema and the price overrides (and, for the receiver, the OTLP descriptor): all inside the bundle.
    expect(await load(packageDir, 'index.mjs', environment)).toBe('function');
  }, 60_000);
});

describe('bin/app.ts', () => {
  it('stops with every bad setting named, before synthesizing anything', async () => {
    const outdir = mkdtempSync(join(tmpdir(), 'seatmeter-cdk-'));
    const context = { 'seatmeter:memoryStoreRetentionHours': '0', 'seatmeter:alarmEmail': 'ops' };
    const failed = await run(process.execPath, ['--import', 'tsx', APP], { env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify(context) } }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(readdirSync(outdir)).toEqual([]);
    rmSync(outdir, { recursive: true, force: true });
    expect(failed).toMatchObject({ code: 1 });
    expect((failed as { stderr: string }).stderr).toContain('memoryStoreRetentionHours must be a whole number from 1 to 8766');
    expect((failed as { stderr: string }).stderr).toContain('alarmEmail must be an email address');
  }, 60_000);
});
