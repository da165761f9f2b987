import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { TimestreamWriteClient, WriteRecordsCommand } from '@aws-sdk/client-timestream-write';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseBudget } from '../../lambdas/budgets/definition.ts';
import { runLedger } from '../../lambdas/budgets/ledger/ledger-run.ts';
import { BUDGET_STATUS_PATH, CLAUDE_CODE_HOOK_PATH, DECISION_PATH } from '../../lambdas/http-answers/budget-answers.ts';
import { DynamoDbAlertLedger } from '../../lambdas/store/dynamodb/alert-ledger.ts';
import { DynamoDbBudgetBook } from '../../lambdas/store/dynamodb/budget-book.ts';
import { DynamoDbLedgerTable } from '../../lambdas/store/dynamodb/ledger-table.ts';
import { apiGatewayEvent } from '../support/api-gateway-events.ts';
import { loadCapture } from '../support/captures.ts';
import { FakeBudgetsTable } from '../support/fake-budgets-table.ts';
import { FakeStateTable } from '../support/fake-state-table.ts';
import { RECEIVER_ENV } from '../support/receiver-env.ts';

const timestream = mockClient(TimestreamWriteClient);
const dynamodb = mockClient(DynamoDBClient);
const s3 = mockClient(S3Client);
const secrets = mockClient(SecretsManagerClient);
const TEAM = 'team-token-0123456789';
const ADA = 'ada-token-0123456789';
const context = { awsRequestId: 'req-1', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;
const budgetsTable = new FakeBudgetsTable(100);
const TABLE = RECEIVER_ENV.SEATMETER_BUDGETS_TABLE;
const client = () => new DynamoDBClient({});

beforeAll(() => {
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  Object.assign(process.env, RECEIVER_ENV);
});
afterAll(() => {
  for (const mock of [timestream, dynamodb, s3, secrets]) mock.restore();
});
beforeEach(async () => {
  for (const mock of [timestream, dynamodb, s3, secrets]) mock.reset();
  secrets.on(GetSecretValueCommand).resolves({
    SecretString: JSON.stringify({ credentials: [{ id: 'team', token: TEAM }, { id: 'ada', token: ADA, user_email: 'ada@example.com' }] }),
  });
  timestream.on(WriteRecordsCommand).resolves({});
  s3.on(PutObjectCommand).resolves({});
  s3.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'The specified key does not exist.', $metadata: {} }));
  new FakeStateTable().install(dynamodb, RECEIVER_ENV.SEATMETER_STATE_TABLE);
  budgetsTable.install(dynamodb, TABLE);
  // Any token at all: a user budget of ada's, capped.
  await new DynamoDbBudgetBook({ client: client(), tableName: TABLE }).put(
    parseBudget({ name: 'ada-daily', scope: 'user:ada@example.com', period: 'day', limit_tokens: 1, owner: 'platform@example.com' }),
  );
});

function post(path: string, body: unknown, token: string, headers: Record<string, string> = {}): APIGatewayProxyEventV2 {
  const event = apiGatewayEvent({ path, body: new TextEncoder().encode(JSON.stringify(body)), contentType: 'application/json' } as never, { authorization: `Bearer ${token}`, ...headers });
  return event;
}

const json = (result: { body?: string }) => JSON.parse(Buffer.from(result.body ?? '', 'base64').toString('utf8')) as Record<string, unknown>;

async function alertsRun(): Promise<void> {
  await runLedger(new DynamoDbLedgerTable({ client: client(), tableName: TABLE }), {
    book: new DynamoDbBudgetBook({ client: client(), tableName: TABLE }),
    ledger: new DynamoDbAlertLedger({ client: client(), tableName: TABLE }),
    channelsFor: () => [],
    alarm: async () => undefined,
    boardUrl: null,
    now: Date.now,
  });
}

describe('the receiver Lambda\'s budget routes', () => {
  it('refuses a wrong token with 401 and a bound credential asking about someone else with 403', async () => {
    const { handler } = await import('../../lambdas/receiver/lambda.ts');
    expect((await handler(post(DECISION_PATH, { user_email: 'ada@example.com' }, 'wrong-token-0123456789'), context)).statusCode).toBe(401);
    const other = await handler(post(DECISION_PATH, { user_email: 'bob@example.com' }, ADA), context);
    expect([other.statusCode, json(other)]).toEqual([403, { error: 'this credential may ask only about its own user' }]);
  });

  it('allows under the limit, and denies once the user\'s exports cross it, in the decision API and the http hook format', async () => {
    const { handler } = await import('../../lambdas/receiver/lambda.ts');
    const allowed = await handler(post(DECISION_PATH, { tool: 'claude_code' }, ADA), context);
    expect([allowed.statusCode, json(allowed).decision]).toEqual([200, 'allow']);

    // Today's usage by ada, through the same receiver: the capture is re-stamped to now and to her credential.
    const capture = loadCapture('claude/claude-json-delta/002-v1_metrics');
    const minuteAgo = Date.now() - 60_000;
    const today = new TextDecoder()
      .decode(capture.body)
      .replace(/"(observedT|t)imeUnixNano":"\d+"/g, (_, prefix: string) => `"${prefix}imeUnixNano":"${BigInt(minuteAgo) * 1_000_000n}"`)
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z/g, new Date(minuteAgo).toISOString());
    const exported = await handler(apiGatewayEvent({ ...capture, body: new TextEncoder().encode(today) }, { authorization: `Bearer ${ADA}` }), context);
    expect(exported.statusCode).toBe(200);
    await alertsRun();

    const denied = await handler(post(DECISION_PATH, { tool: 'claude_code' }, ADA), context);
    expect(json(denied)).toMatchObject({ decision: 'deny', budget: 'ada-daily', reason: expect.stringContaining('platform@example.com') });
    const hook = await handler(post(CLAUDE_CODE_HOOK_PATH, { hook_event_name: 'PreToolUse', tool_name: 'Bash' }, ADA), context);
    expect(json(hook)).toEqual({
      hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: expect.stringContaining('ada-daily') },
    });
    const prompt = await handler(post(CLAUDE_CODE_HOOK_PATH, { hook_event_name: 'UserPromptSubmit', prompt: 'never read' }, ADA), context);
    expect(json(prompt)).toEqual({ decision: 'block', reason: expect.stringContaining('ada-daily') });
    // The team credential speaks for whoever it names: bob has no budget.
    expect(json(await handler(post(DECISION_PATH, { user_email: 'bob@example.com' }, TEAM), context)).decision).toBe('allow');
  });

  it('shows every budget\'s standing to a team credential for the board, and to no developer\'s', async () => {
    const { handler } = await import('../../lambdas/receiver/lambda.ts');
    const get = (token: string) => apiGatewayEvent({ path: `/prefix${BUDGET_STATUS_PATH}`, body: new Uint8Array(), contentType: 'application/json' } as never, { authorization: `Bearer ${token}` }, 'GET');
    const team = await handler(get(TEAM), context);
    expect([team.statusCode, (json(team).budgets as { name: string; used: number; limit: number }[]).map((entry) => [entry.name, entry.used, entry.limit])]).toEqual([200, [['ada-daily', 0, 1]]]);
    expect((await handler(get(ADA), context)).statusCode).toBe(403);
    expect((await handler(get('wrong-token-0123456789'), context)).statusCode).toBe(401);
  });

  it('answers 503 with Retry-After when the budgets table cannot be read, so the hook applies its own --fail', async () => {
    const { handler } = await import('../../lambdas/receiver/lambda.ts');
    dynamodb.reset();
    dynamodb.rejects(Object.assign(new Error('Throughput exceeds the current capacity'), { name: 'ProvisionedThroughputExceededException' }));
    const result = await handler(post(DECISION_PATH, {}, ADA), context);
    expect([result.statusCode, result.headers?.['retry-after'], String(json(result).error)]).toEqual([503, '5', expect.stringContaining('budgets unavailable')]);
  });
});
