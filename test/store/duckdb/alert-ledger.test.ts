import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DuckDbAlertLedger } from '../../../lambdas/store/duckdb/alert-ledger.ts';
import { LocalDatabase } from '../../../lambdas/store/duckdb/database.ts';

const database = await LocalDatabase.open(mkdtempSync(join(tmpdir(), 'seatmeter-ledger-')));
afterAll(() => database.close());
const claim = (key: string, budget = 'payments') => ({ key, budget, periodKey: '2026-12-06', kind: 'threshold' as const, message: { subject: `s ${key}`, text: 't', blocks: [] } });

describe('DuckDbAlertLedger', () => {
  it('lets exactly one of many concurrent claimers have a key', async () => {
    const ledgers = [new DuckDbAlertLedger(database), new DuckDbAlertLedger(database), new DuckDbAlertLedger(database)];
    const wins = await Promise.all(ledgers.flatMap((ledger) => [ledger.claim(claim('k1'), 1), ledger.claim(claim('k1'), 2)]));
    expect(wins.filter(Boolean)).toHaveLength(1);
    expect(await ledgers[0]?.claimed(['k1', 'k2'])).toEqual(new Set(['k1']));
    await ledgers[0]?.settle('k1', { deliveredAtMs: 3 });
  });

  it('hands a claim its claimer never settled to the next instance, once, and keeps settled ones', async () => {
    const dead = new DuckDbAlertLedger(database);
    await dead.claim(claim('orphan', 'org'), 10);
    await dead.claim(claim('sent', 'org'), 11);
    await dead.settle('sent', { deliveredAtMs: 12 });
    expect(await dead.takeOrphans(20)).toEqual([]);
    const next = new DuckDbAlertLedger(database);
    const orphans = await next.takeOrphans(30);
    expect(orphans.map((entry) => entry.key)).toContain('orphan');
    expect(orphans.map((entry) => entry.key)).not.toContain('sent');
    expect(orphans.find((entry) => entry.key === 'orphan')?.message.subject).toBe('s orphan');
    expect(await next.takeOrphans(31)).toEqual([]);
    await next.settle('orphan', { failure: 'slack: Slack kept failing: answered 500 rollup_error' });
    const latest = await next.latest();
    expect(latest.find((record) => record.budget === 'org')).toEqual(expect.objectContaining({ key: 'orphan', claimedAtMs: 30, deliveredAtMs: null, failure: 'slack: Slack kept failing: answered 500 rollup_error' }));
  });
});
