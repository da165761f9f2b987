/**
 * The rollup Lambda as deployed (lambdas/rollup-lambda/lambda.ts): its AWS clients mocked, Okta and the Claude Code
 * Analytics API served by the fakes on 127.0.0.1, the secrets read from (mocked) Secrets Manager. Each run must
 * leave exactly one EMF line for the pipeline board, failure included.
 */
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { QueryCommand, TimestreamQueryClient } from '@aws-sdk/client-timestream-query';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { RollupDayError } from '../../lambdas/rollup/errors.ts';
import { ROLLUP_KEY_PREFIXES } from '../../lambdas/rollup/output/layout.ts';
import { ROLLUP_SERVICE } from '../../lambdas/rollup-lambda/run-metrics.ts';
import { startFakeAnthropic } from '../support/fake-anthropic.ts';
import type { FakeAnthropic } from '../support/fake-anthropic.ts';
import { startFakeOkta } from '../support/fake-okta.ts';
import type { FakeOkta } from '../support/fake-okta.ts';
import { dimensionValues, directives, metricValues } from '../support/emf-reading.ts';

const OKTA_TOKEN = 'okta-ssws-test-token';
const ADMIN_KEY = 'sk-ant-admin01-test-key';
const SECRETS: Readonly<Record<string, string>> = { 'seatmeter/okta': JSON.stringify({ api_token: OKTA_TOKEN }), 'seatmeter/anthropic': ADMIN_KEY };

const s3 = mockClient(S3Client);
const timestream = mockClient(TimestreamQueryClient);
const secrets = mockClient(SecretsManagerClient);
const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
let okta: FakeOkta;
let anthropic: FakeAnthropic;

/** The EMF lines written since the last reset: the documents that declare metrics. */
function metricLines(): Record<string, unknown>[] {
  const text = stdout.mock.calls.map(([chunk]) => String(chunk)).join('');
  return text
    .split('\n')
    .slice(0, -1)
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((document) => '_aws' in document);
}

beforeAll(async () => {
  okta = await startFakeOkta({ apiToken: OKTA_TOKEN, groups: [{ name: 'team-payments', members: ['dev@example.com'] }] });
  anthropic = await startFakeAnthropic({ adminKey: ADMIN_KEY, days: {} });
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('SEATMETER_TIMESTREAM_DATABASE', 'seatmeter');
  vi.stubEnv('SEATMETER_TABLE_USAGE', 'events');
  vi.stubEnv('SEATMETER_TABLE_ACTIVITY', 'events');
  vi.stubEnv('SEATMETER_TEAM_BUCKET', 'team-bucket');
  vi.stubEnv('SEATMETER_TEAM_GROUPS', 'prefix:team-');
  vi.stubEnv('OKTA_ORG_URL', okta.url);
  vi.stubEnv('SEATMETER_OKTA_SECRET_ID', 'seatmeter/okta');
  vi.stubEnv('SEATMETER_ANTHROPIC_SECRET_ID', 'seatmeter/anthropic');
  vi.stubEnv('ANTHROPIC_BASE_URL', anthropic.url);
  vi.stubEnv('SEATMETER_METRICS_NAMESPACE', 'Seatmeter/test');
});

afterAll(async () => {
  for (const client of [s3, timestream, secrets]) client.restore();
  stdout.mockRestore();
  vi.unstubAllEnvs();
  await Promise.all([okta.close(), anthropic.close()]);
});

beforeEach(() => {
  for (const client of [s3, timestream, secrets]) client.reset();
  stdout.mockClear();
  secrets.on(GetSecretValueCommand).callsFake((input: { SecretId: string }) => ({ SecretString: SECRETS[input.SecretId] }));
  // A store with no usage that day: every query answers no rows, and DESCRIBE the columns a fleet has sent.
  timestream.on(QueryCommand).callsFake((input: { QueryString: string }) =>
    input.QueryString.startsWith('DESCRIBE')
      ? { QueryId: 'q', ColumnInfo: [{ Name: 'Column', Type: { ScalarType: 'VARCHAR' } }], Rows: ['tool', 'user_email'].map((name) => ({ Data: [{ ScalarValue: name }] })) }
      : { QueryId: 'q', ColumnInfo: [], Rows: [] },
  );
  s3.on(PutObjectCommand).resolves({});
});

describe("the rollup Lambda's run metrics", () => {
  it('writes one EMF line for a run that wrote its day: succeeded 1, failed 0, under Service=rollup', async () => {
    const { handler } = await import('../../lambdas/rollup-lambda/lambda.ts');
    await handler({ day: '2026-11-22' });
    const keys = s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input.Key ?? '');
    // The stack grants PutObject under these prefixes only (lib/rollup-function.ts).
    expect(keys.map((key) => ROLLUP_KEY_PREFIXES.find((prefix) => key.startsWith(prefix)) ?? key)).toEqual([...ROLLUP_KEY_PREFIXES, 'team_map/']);
    const lines = metricLines();
    expect(lines).toHaveLength(1);
    const [line] = lines as [Record<string, unknown>];
    expect(directives(line).map((directive) => directive.Namespace)).toEqual(['Seatmeter/test']);
    expect(dimensionValues(line)).toEqual({ Service: ROLLUP_SERVICE });
    expect(metricValues(line)).toMatchObject({ RollupSucceeded: 1, RollupFailed: 0 });
    expect(metricValues(line).RollupDurationMs).toEqual(expect.any(Number));
    expect(line).toMatchObject({ days: ['2026-11-22'] });
  });

  it('writes one EMF line for a run that failed, failed 1, and still fails the invocation', async () => {
    const { handler } = await import('../../lambdas/rollup-lambda/lambda.ts');
    s3.on(PutObjectCommand).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));
    await expect(handler({ day: '2026-11-22' })).rejects.toThrow(RollupDayError);
    const lines = metricLines();
    expect(lines).toHaveLength(1);
    expect(metricValues(lines[0] ?? {})).toMatchObject({ RollupSucceeded: 0, RollupFailed: 1 });
    expect(lines[0]).toMatchObject({ days: ['2026-11-22'], error: 'RollupDayError' });
  });
});
