import { DeleteItemCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { StorageUnavailableError } from '../../../lambdas/store/errors.ts';
import { DynamoDbSeriesLock, leaseKey } from '../../../lambdas/store/dynamodb/series-lock.ts';
import { FakeStateTable } from '../../support/fake-state-table.ts';

const dynamodb = mockClient(DynamoDBClient);
const table = new FakeStateTable();
const NOW = Date.parse('2026-11-22T10:00:00Z');

afterAll(() => dynamodb.restore());
beforeEach(() => {
  dynamodb.reset();
  table.install(dynamodb);
});

function lockWith(options: { now?: () => number; maxWaitMs?: number; sleep?: (ms: number) => Promise<void>; releaseFailures?: unknown[] } = {}) {
  return new DynamoDbSeriesLock({
    client: new DynamoDBClient({ region: 'eu-west-1' }),
    tableName: 'state',
    leaseUntil: () => NOW + 30_000,
    now: options.now ?? (() => NOW),
    sleep: options.sleep ?? (() => Promise.resolve()),
    ...(options.maxWaitMs === undefined ? {} : { maxWaitMs: options.maxWaitMs }),
    owner: () => 'me',
    onReleaseFailure: (error) => options.releaseFailures?.push(error),
  });
}

function holdLease(scope: string, owner: string, leaseUntil: number): void {
  table.items.set(leaseKey(scope), { series_key: { S: leaseKey(scope) }, owner: { S: owner }, lease_until: { N: String(leaseUntil) } });
}

describe('DynamoDbSeriesLock', () => {
  it('holds every scope while the work runs, taken once each in sorted order, and frees them after', async () => {
    let heldDuringWork: string[] = [];
    const result = await lockWith().run(['b', 'a', 'b'], async () => {
      heldDuringWork = table.leases();
      return 42;
    });
    expect(result).toBe(42);
    expect(heldDuringWork.sort()).toEqual(['lock#a', 'lock#b']);
    expect(dynamodb.commandCalls(PutItemCommand).map((call) => call.args[0].input.Item?.series_key?.S)).toEqual(['lock#a', 'lock#b']);
    expect(table.leases()).toEqual([]);
  });

  it('frees the leases when the work fails, and passes the failure on', async () => {
    await expect(lockWith().run(['a'], () => Promise.reject(new Error('store down')))).rejects.toThrow('store down');
    expect(table.leases()).toEqual([]);
  });

  it('waits with a growing backoff while another request holds a scope, then takes it once freed', async () => {
    holdLease('a', 'other', NOW + 30_000);
    const waits: number[] = [];
    const lock = lockWith({
      sleep: async (ms) => {
        waits.push(ms);
        if (waits.length === 2) table.items.delete(leaseKey('a'));
      },
    });
    expect(await lock.run(['a'], async () => table.items.get(leaseKey('a'))?.owner?.S)).toBe('me');
    expect(waits).toEqual([20, 40]);
  });

  it('gives up with StorageUnavailableError (503 + Retry-After) when a scope stays held, and runs nothing', async () => {
    holdLease('a', 'other', NOW + 30_000);
    let clock = NOW;
    const waits: number[] = [];
    const lock = lockWith({
      now: () => clock,
      maxWaitMs: 1_000,
      sleep: async (ms) => {
        waits.push(ms);
        clock += ms;
      },
    });
    let ran = false;
    await expect(
      lock.run(['a'], async () => {
        ran = true;
      }),
    ).rejects.toBeInstanceOf(StorageUnavailableError);
    expect(ran).toBe(false);
    expect(waits).toEqual([20, 40, 80, 160, 320]);
    expect(table.items.get(leaseKey('a'))?.owner?.S).toBe('other');
  });

  it('frees the scopes it took before one stayed held', async () => {
    holdLease('b', 'other', NOW + 30_000);
    await expect(lockWith({ maxWaitMs: 0 }).run(['a', 'b'], async () => undefined)).rejects.toBeInstanceOf(StorageUnavailableError);
    expect(table.leases()).toEqual(['lock#b']);
    expect(table.items.get('lock#b')?.owner?.S).toBe('other');
  });

  it('takes over a lease whose holder outlived its invocation', async () => {
    holdLease('a', 'crashed', NOW - 1);
    let owner: string | undefined;
    await lockWith().run(['a'], async () => {
      owner = table.items.get('lock#a')?.owner?.S;
    });
    expect(owner).toBe('me');
  });

  it('does not delete a lease another request took over, and keeps the work result when release fails', async () => {
    const releaseFailures: unknown[] = [];
    const lock = lockWith({ releaseFailures });
    const taken = await lock.run(['a'], async () => {
      holdLease('a', 'next', NOW + 30_000);
      return 'stored';
    });
    expect([taken, table.items.get('lock#a')?.owner?.S, releaseFailures]).toEqual(['stored', 'next', []]);

    dynamodb.on(DeleteItemCommand).rejects(new Error('DynamoDB unreachable'));
    expect(await lock.run(['c'], async () => 'stored')).toBe('stored');
    expect(releaseFailures.map(String)).toEqual(['Error: DynamoDB unreachable']);
  });

  it('propagates a failure to take a lease that is not a held lease, so the request answers 503', async () => {
    dynamodb.on(PutItemCommand).rejects(new Error('AccessDenied'));
    await expect(lockWith().run(['a'], async () => 'never')).rejects.toThrow('AccessDenied');
  });
});
