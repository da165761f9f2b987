import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbAlertLedger, ORPHAN_AFTER_MS } from '../../../lambdas/store/dynamodb/alert-ledger.ts';
import { FakeBudgetsTable } from '../../support/fake-budgets-table.ts';

const dynamodb = mockClient(DynamoDBClient);
const table = new FakeBudgetsTable();
beforeEach(() => {
  dynamodb.reset();
  table.install(dynamodb);
});
afterAll(() => dynamodb.restore());

const ledger = () => new DynamoDbAlertLedger({ client: new DynamoDBClient({}), tableName: 'budgets' });
const claim = (key: string, budget = 'payments') => ({ key, budget, periodKey: '2026-12-06', kind: 'threshold' as const, message: { subject: `s ${key}`, text: 't', blocks: [] } });

describe('DynamoDbAlertLedger', () => {
  it('lets exactly one of many concurrent alert Lambdas claim a key', async () => {
    const ledgers = [ledger(), ledger(), ledger(), ledger()];
    const wins = await Promise.all(ledgers.flatMap((each) => [each.claim(claim('k1'), 1), each.claim(claim('k1'), 2)]));
    expect(wins.filter(Boolean)).toHaveLength(1);
    expect(await ledgers[1]?.claimed(['k1', 'k2'])).toEqual(new Set(['k1']));
  });

  it('hands a claim left unsettled past the orphan age to one taker, and keeps settled and young ones', async () => {
    const dead = ledger();
    await dead.claim(claim('orphan', 'org'), 10);
    await dead.claim(claim('sent', 'org'), 11);
    await dead.claim(claim('young', 'other'), 10 + ORPHAN_AFTER_MS);
    await dead.settle('sent', { deliveredAtMs: 12 });
    // Only unsettled claims are marked pending: the orphan search reads those, never the year of alerts kept.
    expect(table.keys('alert-pending')).toEqual(['alert-pending|orphan', 'alert-pending|young']);
    const now = 10 + ORPHAN_AFTER_MS + 1;
    const takers = await Promise.all([ledger().takeOrphans(now), ledger().takeOrphans(now)]);
    expect(takers.flat().map((entry) => entry.key)).toEqual(['orphan']);
    expect(takers.flat()[0]?.message.subject).toBe('s orphan');
    expect(await ledger().takeOrphans(now + 1)).toEqual([]);
    await dead.settle('orphan', { failure: 'slack: Slack kept failing: answered 500' });
    expect(await ledger().takeOrphans(now + 10 * ORPHAN_AFTER_MS)).toEqual([expect.objectContaining({ key: 'young' })]);
    const latest = await ledger().latest();
    expect(latest.map((record) => [record.budget, record.key, record.deliveredAtMs, record.failure])).toEqual([
      ['org', 'orphan', null, 'slack: Slack kept failing: answered 500'],
      ['other', 'young', null, null],
    ]);
  });

  it('drops a pending mark whose claim was settled by a claimer that stopped before removing it', async () => {
    const dead = ledger();
    await dead.claim(claim('settled'), 10);
    const [mark] = [...table.items.entries()].filter(([itemKey]) => itemKey.startsWith('alert-pending'));
    await dead.settle('settled', { deliveredAtMs: 11 });
    if (mark !== undefined) table.items.set(mark[0], mark[1]);
    expect(await ledger().takeOrphans(10 + 2 * ORPHAN_AFTER_MS)).toEqual([]);
    expect(table.keys('alert-pending')).toEqual([]);
  });

  it('fails a claim when DynamoDB fails, rather than counting it as taken', async () => {
    dynamodb.reset();
    dynamodb.rejects(new Error('InternalServerError'));
    await expect(ledger().claim(claim('k'), 1)).rejects.toThrow('InternalServerError');
  });
});
