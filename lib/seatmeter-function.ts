import { Validations } from 'aws-cdk-lib';
import type { Duration } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { functionPackage } from './function-package.ts';
import { logicalIdOf } from './logical-id.ts';

export interface SeatmeterFunctionProps {
  /** The handler module, relative to the repository root: `lambdas/<name>/lambda.ts`, exporting `handler`. */
  readonly entry: string;
  readonly description: string;
  readonly roleDescription: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly logRetention: RetentionDays;
  readonly environment: Readonly<Record<string, string>>;
  /** Everything the function may do besides writing its own logs: one statement per need, each with its Sid. */
  readonly statements: readonly PolicyStatement[];
}

export interface SeatmeterFunctionParts {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;
}

/**
 * One seatmeter Lambda as the children `Logs`, `Role` and `Function` of `scope`: Node.js 22 on arm64, packaged
 * by lib/function-package.ts, JSON logs into a log group of its own with the pipeline's retention, and a role
 * that only Lambda assumes whose policy is exactly the given statements after `WriteOwnLogs`, so that the
 * policy reads as the list of what the function does.
 */
export function seatmeterFunction(scope: Construct, props: SeatmeterFunctionProps): SeatmeterFunctionParts {
  const logGroup = new LogGroup(scope, 'Logs', { retention: props.logRetention });
  const role = new Role(scope, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com'), description: props.roleDescription });
  const writeLogs = new PolicyStatement({ sid: 'WriteOwnLogs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [`${logGroup.logGroupArn}:*`] });
  for (const statement of [writeLogs, ...props.statements]) role.addToPrincipalPolicy(statement);

  const fn = new NodejsFunction(scope, 'Function', {
    ...functionPackage(props.entry),
    description: props.description,
    runtime: Runtime.NODEJS_22_X,
    architecture: Architecture.ARM_64,
    memorySize: props.memorySize,
    timeout: props.timeout,
    role,
    logGroup,
    loggingFormat: LoggingFormat.JSON,
    environment: { ...props.environment },
  });
  // The function must not start before its policy exists: its first invocation would fail on permissions.
  fn.node.addDependency(role);

  Validations.of(fn).acknowledge({
    id: 'AwsSolutions-L1',
    reason: 'Node.js 22 on purpose: the bundle targets node22 (lib/lambda-bundling.ts) and the functions were measured on it; the runtime moves together with that target.',
  });
  acknowledgeWildcard(role, `<${logicalIdOf(logGroup)}.Arn>:*`, 'Log streams are named by Lambda at run time, so the statement covers the streams of this one log group.');
  return { function: fn, role, logGroup };
}

/** Acknowledges one wildcard resource of the role's policy for cdk-nag, with why it cannot be narrower. */
export function acknowledgeWildcard(role: Role, resource: string, reason: string): void {
  Validations.of(role).acknowledge({ id: `AwsSolutions-IAM5[Resource::${resource}]`, reason });
}
