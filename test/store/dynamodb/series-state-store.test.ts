import { BatchGetItemCommand, ConditionalCheckFailedException, DynamoDBClient, PutItemCommand, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { BATCH_GET_ATTEMPTS, DynamoDbSeriesStateStore } from '../../../lambdas/store/dynamodb/series-state-store.ts';
import type { DynamoDbSeriesStateStoreOptions } from '../../../lambdas/store/dynamodb/series-state-store.ts';

const dynamo = mockClient(DynamoDBClient);
const TABLE = 'seatmeter-series-state';
/** 2026-11-22T10:00:00.500Z */
const NOW_MS = Date.parse('2026-11-22T10:00:00.500Z');
const NOW_S = Math.floor(NOW_MS / 1000);

afterEach(() => {
  dynamo.reset();
});

function storeWith(options: Partial<DynamoDbSeriesStateStoreOptions> = {}): { store: DynamoDbSeriesStateStore; sleeps: number[]; conflicts: string[][] } {
  const sleeps: number[] = [];
  const conflicts: string[][] = [];
  const store = new DynamoDbSeriesStateStore({
    client: new DynamoDBClient({ region: 'eu-west-1' }),
    tableName: TABLE,
    now: () => NOW_MS,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    onConflicts: (keys) => conflicts.push([...keys]),
    ...options,
  });
  return { store, sleeps, conflicts };
}

function item(key: string, time: string, value: string): Record<string, AttributeValue> {
  return { series_key: { S: key }, time_unix_nano: { N: time }, value: { N: value }, expires_at: { N: '1790000000' } };
}

function keysOf(keys: readonly string[]): Record<string, AttributeValue>[] {
  return keys.map((key) => ({ series_key: { S: key } }));
}

function conditionFailed(): ConditionalCheckFailedException {
  return new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
}

describe('DynamoDbSeriesStateStore.load', () => {
  it('reads each distinct key once, consistently, and parses the items back', async () => {
    dynamo.on(BatchGetItemCommand).resolves({ Responses: { [TABLE]: [item('a', '1795342813000000000', '12.5')] } });
    const { store } = storeWith();

    const found = await store.load(['a', 'b', 'a']);

    expect(dynamo.commandCalls(BatchGetItemCommand).map((call) => call.args[0].input)).toEqual([
      { RequestItems: { [TABLE]: { Keys: keysOf(['a', 'b']), ConsistentRead: true } } },
    ]);
    expect(found).toEqual(new Map([['a', { timeUnixNano: 1795342813000000000n, value: 12.5 }]]));
  });

  it('asks nothing of DynamoDB for no keys', async () => {
    const { store } = storeWith();
    expect(await store.load([])).toEqual(new Map());
    expect(dynamo.calls()).toHaveLength(0);
  });

  it('splits 250 distinct keys into BatchGetItem calls of 100, 100 and 50', async () => {
    dynamo.on(BatchGetItemCommand).resolves({ Responses: { [TABLE]: [] } });
    const keys = Array.from({ length: 250 }, (_, index) => `series-${index}`);
    const { store } = storeWith();

    await store.load([...keys, ...keys.slice(0, 30)]);

    expect(dynamo.commandCalls(BatchGetItemCommand).map((call) => call.args[0].input)).toEqual([
      { RequestItems: { [TABLE]: { Keys: keysOf(keys.slice(0, 100)), ConsistentRead: true } } },
      { RequestItems: { [TABLE]: { Keys: keysOf(keys.slice(100, 200)), ConsistentRead: true } } },
      { RequestItems: { [TABLE]: { Keys: keysOf(keys.slice(200)), ConsistentRead: true } } },
    ]);
  });

  it('retries unprocessed keys with a growing backoff until DynamoDB has answered them all', async () => {
    dynamo
      .on(BatchGetItemCommand)
      .resolvesOnce({
        Responses: { [TABLE]: [item('a', '10', '1')] },
        UnprocessedKeys: { [TABLE]: { Keys: keysOf(['b', 'c']), ConsistentRead: true } },
      })
      .resolvesOnce({ Responses: { [TABLE]: [item('b', '20', '2')] }, UnprocessedKeys: { [TABLE]: { Keys: keysOf(['c']), ConsistentRead: true } } })
      .resolvesOnce({ Responses: { [TABLE]: [item('c', '30', '3')] }, UnprocessedKeys: {} });
    const { store, sleeps } = storeWith();

    const found = await store.load(['a', 'b', 'c']);

    expect(dynamo.commandCalls(BatchGetItemCommand).map((call) => call.args[0].input)).toEqual([
      { RequestItems: { [TABLE]: { Keys: keysOf(['a', 'b', 'c']), ConsistentRead: true } } },
      { RequestItems: { [TABLE]: { Keys: keysOf(['b', 'c']), ConsistentRead: true } } },
      { RequestItems: { [TABLE]: { Keys: keysOf(['c']), ConsistentRead: true } } },
    ]);
    expect(sleeps).toEqual([25, 50]);
    expect(found).toEqual(
      new Map([
        ['a', { timeUnixNano: 10n, value: 1 }],
        ['b', { timeUnixNano: 20n, value: 2 }],
        ['c', { timeUnixNano: 30n, value: 3 }],
      ]),
    );
  });

  it('gives up after a bounded number of attempts when keys stay unprocessed, so the request can be retried', async () => {
    dynamo.on(BatchGetItemCommand).resolves({ UnprocessedKeys: { [TABLE]: { Keys: keysOf(['a']), ConsistentRead: true } } });
    const { store, sleeps } = storeWith();

    await expect(store.load(['a'])).rejects.toThrow(`DynamoDB left 1 series state keys unprocessed after ${BATCH_GET_ATTEMPTS} attempts`);
    expect(dynamo.commandCalls(BatchGetItemCommand)).toHaveLength(BATCH_GET_ATTEMPTS);
    expect(sleeps).toEqual([25, 50, 100, 200, 400, 800]);
  });

  it('propagates a failed read', async () => {
    dynamo.on(BatchGetItemCommand).rejects(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }));
    const { store } = storeWith();
    await expect(store.load(['a'])).rejects.toThrow('slow down');
  });
});

describe('DynamoDbSeriesStateStore.save', () => {
  it('writes one advance-only PutItem per series, expiring 35 days after the injected clock', async () => {
    dynamo.on(PutItemCommand).resolves({});
    const { store, conflicts } = storeWith();

    await store.save(new Map([['a', { timeUnixNano: 1795342813895123457n, value: 0.25 }]]));

    expect(dynamo.commandCalls(PutItemCommand).map((call) => call.args[0].input)).toEqual([
      {
        TableName: TABLE,
        Item: {
          series_key: { S: 'a' },
          time_unix_nano: { N: '1795342813895123457' },
          value: { N: '0.25' },
          expires_at: { N: String(NOW_S + 35 * 86_400) },
        },
        ConditionExpression: 'attribute_not_exists(series_key) OR time_unix_nano < :t OR (time_unix_nano = :t AND #value < :v)',
        ExpressionAttributeNames: { '#value': 'value' },
        ExpressionAttributeValues: { ':t': { N: '1795342813895123457' }, ':v': { N: '0.25' } },
      },
    ]);
    expect(conflicts).toEqual([]);
  });

  it('counts the TTL in the configured days from the clock at save time', async () => {
    dynamo.on(PutItemCommand).resolves({});
    const { store } = storeWith({ ttlDays: 2, now: () => NOW_MS + 3_600_000 });

    await store.save(new Map([['a', { timeUnixNano: 1n, value: 1 }]]));

    expect(dynamo.commandCalls(PutItemCommand)[0]?.args[0].input.Item?.expires_at).toEqual({ N: String(NOW_S + 3_600 + 2 * 86_400) });
  });

  it('round-trips a nanosecond timestamp beyond 2^53 exactly', async () => {
    dynamo.on(PutItemCommand).resolves({});
    const { store } = storeWith();
    const state = { timeUnixNano: 1795342813895123457n, value: 123456.789 };

    await store.save(new Map([['a', state]]));
    const written = dynamo.commandCalls(PutItemCommand)[0]?.args[0].input.Item ?? {};
    dynamo.on(BatchGetItemCommand).resolves({ Responses: { [TABLE]: [written] } });

    expect(BigInt(Number(state.timeUnixNano))).not.toBe(state.timeUnixNano);
    expect((await store.load(['a'])).get('a')).toEqual(state);
  });

  it('keeps a newer baseline stored by another invocation: resolves, reports the series once, and does not write again', async () => {
    dynamo.on(PutItemCommand).resolves({});
    dynamo.on(PutItemCommand, { Item: { series_key: { S: 'b' } } }).rejects(conditionFailed());
    const { store, conflicts } = storeWith();

    await store.save(
      new Map([
        ['a', { timeUnixNano: 10n, value: 1 }],
        ['b', { timeUnixNano: 10n, value: 2 }],
        ['c', { timeUnixNano: 10n, value: 3 }],
      ]),
    );

    expect(dynamo.commandCalls(PutItemCommand).map((call) => call.args[0].input.Item?.series_key)).toEqual([{ S: 'a' }, { S: 'b' }, { S: 'c' }]);
    expect(conflicts).toEqual([['b']]);
  });

  it('writes many series with bounded concurrency and reports every conflict in one call', async () => {
    dynamo.on(PutItemCommand).rejects(conditionFailed());
    const updates = new Map(Array.from({ length: 40 }, (_, index) => [`series-${index}`, { timeUnixNano: BigInt(index), value: index }] as const));
    const { store, conflicts } = storeWith();

    await store.save(updates);

    expect(dynamo.commandCalls(PutItemCommand)).toHaveLength(40);
    expect(conflicts.map((keys) => [...keys].sort())).toEqual([[...updates.keys()].sort()]);
  });

  it('propagates any other failure, so the receiver answers 503', async () => {
    dynamo.on(PutItemCommand).rejects(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }));
    const { store, conflicts } = storeWith();

    await expect(store.save(new Map([['a', { timeUnixNano: 1n, value: 1 }]]))).rejects.toThrow('slow down');
    expect(conflicts).toEqual([]);
  });

  it('sends nothing for no updates', async () => {
    const { store } = storeWith();
    await store.save(new Map());
    expect(dynamo.calls()).toHaveLength(0);
  });
});
