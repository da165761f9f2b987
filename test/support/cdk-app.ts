/** Synthesizes the CDK app the way `cdk synth` does (cdk.json's context, the same stack and checks), in memory. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { logicalIdOf } from '../../lib/logical-id.ts';
import { buildSeatmeterApp } from '../../lib/seatmeter-app.ts';
import type { SeatmeterStack } from '../../lib/seatmeter-stack.ts';
import type { TelemetryStore } from '../../lib/telemetry-store.ts';

const CDK_JSON = new URL('../../cdk.json', import.meta.url);

export interface SynthesizedApp {
  readonly app: App;
  readonly stack: SeatmeterStack;
  readonly template: Template;
  /** The cloud assembly directory: the template, the bundled asset, validation-report.json. */
  readonly outdir: string;
  /** Removes the cloud assembly. */
  dispose(): void;
}

export interface SynthOptions {
  /** `seatmeter:<name>` keys and values, as `-c` would pass them. */
  readonly context?: Readonly<Record<string, unknown>>;
  /** Run CDK's built-in CloudFormation validation, as `cdk synth` does: it costs seconds, so only where asserted. */
  readonly cloudFormationValidation?: boolean;
}

export function synthSeatmeterApp(options: SynthOptions = {}): SynthesizedApp {
  const cdkJson = JSON.parse(readFileSync(CDK_JSON, 'utf8')) as { context: Record<string, unknown> };
  const outdir = mkdtempSync(join(tmpdir(), 'seatmeter-cdk-'));
  const app = new App({
    outdir,
    context: { ...cdkJson.context, ...options.context },
    builtinCloudFormationValidation: options.cloudFormationValidation ?? false,
  });
  const stack = buildSeatmeterApp(app);
  const assembly = app.synth();
  return {
    app,
    stack,
    template: Template.fromJSON(assembly.getStackByName(stack.stackName).template as Record<string, unknown>),
    outdir,
    dispose: () => rmSync(outdir, { recursive: true, force: true }),
  };
}

/** The environment variables, as the template holds them, that point a function at the store's one table for every kind. */
export function storeEnvironment(store: TelemetryStore): Record<string, unknown> {
  const tableName = { 'Fn::GetAtt': [logicalIdOf(store.table), 'Name'] };
  return {
    SEATMETER_STORE: 'timestream',
    SEATMETER_TIMESTREAM_DATABASE: { Ref: logicalIdOf(store.database) },
    SEATMETER_TABLE_USAGE: tableName,
    SEATMETER_TABLE_ACTIVITY: tableName,
    SEATMETER_TABLE_REQUEST: tableName,
  };
}
