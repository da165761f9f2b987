import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { TimestreamWriteClient, WriteRecordsCommand } from '@aws-sdk/client-timestream-write';
import type { WriteRecordsCommandInput } from '@aws-sdk/client-timestream-write';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { apiGatewayEvent } from '../support/api-gateway-events.ts';
import { CAPTURES, loadCapture } from '../support/captures.ts';
import { cumulativeSnapshot } from '../support/claude-token-export.ts';
import { FakeBudgetsTable } from '../support/fake-budgets-table.ts';
import { FakeStateTable } from '../support/fake-state-table.ts';
import { FIXTURE_TOTALS } from '../support/fixture-totals.ts';
import { RECEIVER_ENV } from '../support/receiver-env.ts';
import { storedRows } from '../support/timestream-tables.ts';

const timestream = mockClient(TimestreamWriteClient);
const dynamodb = mockClient(DynamoDBClient);
const s3 = mockClient(S3Client);
const secrets = mockClient(SecretsManagerClient);
const TOKEN = 'team-token-0123456789';
const context = { awsRequestId: 'req-1', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

const stateTable = new FakeStateTable();
const budgetsTable = new FakeBudgetsTable(100);
const noTeamMap = () => new NoSuchKey({ message: 'The specified key does not exist.', $metadata: {} });

/** The usage record ids in the budgets table's ledger cells, with the team each carries. */
function ledgerEntries(): Map<string, string | null> {
  const entries = new Map<string, string | null>();
  for (const item of budgetsTable.items.values()) {
    if (!(item.pk?.S ?? '').startsWith('cell#')) continue;
    for (const [id, team] of JSON.parse(item.entries?.S ?? '[]') as [string, string | null][]) entries.set(id, team);
  }
  return entries;
}

/** The table a DynamoDB call names. */
const tableOf = (input: { TableName?: string; RequestItems?: Record<string, unknown> }): string | undefined => input.TableName ?? Object.keys(input.RequestItems ?? {})[0];

beforeAll(() => {
  // The Lambda writes one EMF line per request to stdout; the assertions here are on what it stored.
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  Object.assign(process.env, RECEIVER_ENV);
});

afterAll(() => {
  for (const client of [timestream, dynamodb, s3, secrets]) client.restore();
});

beforeEach(() => {
  for (const client of [timestream, dynamodb, s3, secrets]) client.reset();
  secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ credentials: [{ id: 'team', token: TOKEN }] }) });
  timestream.on(WriteRecordsCommand).resolves({ RecordsIngested: { Total: 1 } });
  s3.on(PutObjectCommand).resolves({});
  s3.on(GetObjectCommand).rejects(noTeamMap());
  stateTable.install(dynamodb, RECEIVER_ENV.SEATMETER_STATE_TABLE);
  budgetsTable.install(dynamodb, RECEIVER_ENV.SEATMETER_BUDGETS_TABLE);
});

/** What Timestream holds after the writes: one row per record_id (identical rewrites are ignored). */
function storedUsage(): Map<string, Readonly<Record<string, string>>> {
  const requests = timestream.commandCalls(WriteRecordsCommand).map((call) => call.args[0].input as WriteRecordsCommandInput);
  // The default layout: every kind in the one table `events`, told apart by measure name.
  expect(new Set(requests.map((request) => request.TableName))).toEqual(new Set(requests.length === 0 ? [] : ['events']));
  return new Map(storedRows(requests).filter((row) => row.measureName === 'usage').map((row) => [row.columns.record_id ?? '', row.columns]));
}

function totals(rows: Map<string, Readonly<Record<string, string>>>) {
  const out: Record<string, number[]> = {};
  for (const row of rows.values()) {
    const key = `${row.user_email ?? ''}|${row.tool}|${row.model}`;
    const t = (out[key] ??= [0, 0, 0, 0, 0, 0]);
    ['input_tokens', 'cache_read_tokens', 'cache_write_tokens', 'output_tokens', 'reasoning_tokens', 'estimated_cost_usd'].forEach((name, i) => {
      t[i] = (t[i] ?? 0) + Number(row[name] ?? 0);
    });
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, [...v.slice(0, 5), Math.round((v[5] ?? 0) * 1e9) / 1e9]]));
}

const EXPECTED = Object.fromEntries(FIXTURE_TOTALS.map(([user, tool, model, ...numbers]) => [`${user ?? ''}|${tool}|${model}`, numbers]));

describe('the receiver Lambda, wired to Timestream, DynamoDB, S3 and Secrets Manager', () => {
  it('writes exactly the README totals to Timestream for every capture, and archives each stored body', async () => {
    const { handler } = await import('../../lambdas/receiver/lambda.ts');
    for (const [id] of CAPTURES) {
      const result = await handler(apiGatewayEvent(loadCapture(id), { authorization: `Bearer ${TOKEN}` }), context);
      expect(result.statusCode).toBe(200);
    }
    const stored = storedUsage();
    expect(totals(stored)).toEqual(EXPECTED);
    // The budgets' ledger holds exactly the usage records Timestream does.
    expect([...ledgerEntries().keys()].sort()).toEqual([...stored.keys()].sort());
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(CAPTURES.filter(([, signal]) => signal !== 'traces').length);
    expect(stateTable.items.size).toBe(27);
    expect(stateTable.leases()).toEqual([]);
  });

  it('writes identical records for a retried request, and nothing for a repeated cumulative snapshot', async () => {
    const { handler } = await import('../../lambdas/receiver/lambda.ts');
    const delta = apiGatewayEvent(loadCapture('claude/claude-protobuf-delta/002-v1_metrics'), { authorization: `Bearer ${TOKEN}` });
    await handler(delta, context);
    await handler(delta, context);
    const writes = timestream.commandCalls(WriteRecordsCommand).map((call) => JSON.stringify(call.args[0].input));
    // One WriteRecords request per export: usage and activity records share the default table.
    expect(writes).toHaveLength(2);
    expect(writes[1]).toEqual(writes[0]);

    timestream.resetHistory();
    const cumulative = apiGatewayEvent(loadCapture('gemini/gemini-http-json/003-v1_metrics'), { authorization: `Bearer ${TOKEN}` });
    await handler(cumulative, context);
    const usageAfterFirst = storedUsage().size;
    timestream.resetHistory();
    expect((await handler(cumulative, context)).statusCode).toBe(200);
    expect([usageAfterFirst, storedUsage().size]).toEqual([2, 0]);
  });

  it('reads and writes the series state through one DynamoDB client, and calls the state table only for cumulative points', async () => {
    const { handler } = await import('../../lambdas/receiver/lambda.ts');
    const send = (id: string) => handler(apiGatewayEvent(loadCapture(id), { authorization: `Bearer ${TOKEN}` }), context);
    const stateCalls = () => dynamodb.calls().filter((call) => tableOf(call.args[0].input as { TableName?: string }) === RECEIVER_ENV.SEATMETER_STATE_TABLE);
    await send('claude/claude-protobuf-delta/002-v1_metrics');
    expect(stateCalls()).toHaveLength(0);
    // The delta export's usage records went to the ledger: a cell item per user and minute.
    expect(new Set(dynamodb.calls().map((call) => `${call.args[0].constructor.name} ${tableOf(call.args[0].input as { TableName?: string })}`))).toEqual(new Set([`PutItemCommand ${RECEIVER_ENV.SEATMETER_BUDGETS_TABLE}`]));
    await send('claude/claude-protobuf-cumulative/002-v1_metrics');
    await send('gemini/gemini-http-json/003-v1_metrics');
    const commands = new Map<string, number>();
    for (const call of stateCalls()) commands.set(call.args[0].constructor.name, (commands.get(call.args[0].constructor.name) ?? 0) + 1);
    // Per cumulative export: one state read, a lease put and delete; then one put per advanced series.
    expect(Object.fromEntries(commands)).toEqual({ BatchGetItemCommand: 2, PutItemCommand: 22, DeleteItemCommand: 2 });
    // Built on the first cumulative export, then kept for the container.
    expect(new Set(dynamodb.calls().map((call) => call.thisValue)).size).toBe(1);
  });

  it('stamps each record with its user\'s team from the rollup\'s map, read once per container and refresh', async () => {
    // A new container: the map the others read (none) is not cached in it.
    vi.resetModules();
    const { handler } = await import('../../lambdas/receiver/lambda.ts');
    s3.on(GetObjectCommand, { Key: 'team_map/latest.json' }).resolves({
      Body: { transformToString: async () => JSON.stringify({ version: 1, users: { 'dev@example.com': 'payments' } }) },
    } as never);
    for (const id of ['claude/claude-protobuf-delta/001-v1_logs', 'claude/claude-protobuf-delta/002-v1_metrics']) {
      expect((await handler(apiGatewayEvent(loadCapture(id), { authorization: `Bearer ${TOKEN}` }), context)).statusCode).toBe(200);
    }
    expect(new Set(ledgerEntries().values())).toEqual(new Set(['payments']));
    expect(new Set([...storedUsage().values()].map((row) => row.team))).toEqual(new Set(['payments']));
    expect(s3.commandCalls(GetObjectCommand).map((call) => call.args[0].input)).toEqual([{ Bucket: RECEIVER_ENV.SEATMETER_TEAM_MAP_BUCKET, Key: 'team_map/latest.json' }]);
  });

  it('stores the growth of one series once when two of its snapshots arrive at the same moment', async () => {
    const { handler } = await import('../../lambdas/receiver/lambda.ts');
    const snapshot = (input: number, time: string) => apiGatewayEvent(cumulativeSnapshot(input, time), { authorization: `Bearer ${TOKEN}` });
    const results = await Promise.all([handler(snapshot(100, '1795342813000000000'), context), handler(snapshot(150, '1795342814000000000'), context)]);
    expect(results.map((result) => result.statusCode)).toEqual([200, 200]);
    const inputTokens = [...storedUsage().values()].reduce((sum, row) => sum + Number(row.input_tokens), 0);
    expect(inputTokens).toBe(150);
    expect(stateTable.leases()).toEqual([]);
  });

  it('answers 503 with Retry-After and archives nothing when Timestream stays throttled past the deadline', async () => {
    const { handler } = await import('../../lambdas/receiver/lambda.ts');
    timestream.on(WriteRecordsCommand).rejects(Object.assign(new Error('slow down'), { name: 'ThrottlingException', $metadata: {} }));
    const shortBudget = { ...context, getRemainingTimeInMillis: () => 1_600 } as Context;
    const result = await handler(apiGatewayEvent(loadCapture('claude/claude-protobuf-delta/002-v1_metrics'), { authorization: `Bearer ${TOKEN}` }), shortBudget);
    expect([result.statusCode, result.headers?.['retry-after']]).toEqual([503, '5']);
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });
});
