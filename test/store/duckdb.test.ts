import { describe, expect, it } from 'vitest';
import type { UsageRecord } from '../../lambdas/records/types.ts';
import { LocalDatabase } from '../../lambdas/store/duckdb/database.ts';
import { DuckDbRecordStore } from '../../lambdas/store/duckdb/record-store.ts';
import { DuckDbSeriesStateStore } from '../../lambdas/store/duckdb/series-state-store.ts';

function usage(id: string, input: number): UsageRecord {
  return {
    kind: 'usage',
    id,
    time_ms: Date.parse('2026-11-22T10:00:00Z'),
    tool: 'claude_code',
    user_email: 'dev@example.com',
    user_id: null,
    organization_id: null,
    repo: null,
    session_id: 's',
    terminal: null,
    client_version: null,
    model: 'claude-opus-4-8',
    input_tokens: input,
    cache_read_tokens: 0,
    cache_write_tokens: 0,
    output_tokens: 0,
    reasoning_tokens: 0,
    estimated_cost_usd: null,
    reported_cost_usd: null,
    price_version: null,
  };
}

describe('DuckDbRecordStore', () => {
  it('stores each id once, across concurrent writes grouped into one commit and across repeats', async () => {
    const database = await LocalDatabase.inMemory();
    const store = new DuckDbRecordStore(database);
    const outcomes = await Promise.all([store.write([usage('a', 1), usage('b', 2)]), store.write([usage('b', 2), usage('c', 3)]), store.write([usage('a', 1)])]);
    expect(outcomes).toEqual([
      { written: 2, duplicates: 0, rejected: new Map() },
      { written: 1, duplicates: 1, rejected: new Map() },
      { written: 0, duplicates: 1, rejected: new Map() },
    ]);
    expect(await store.write([usage('c', 3), usage('d', 4)])).toEqual({ written: 1, duplicates: 1, rejected: new Map() });
    expect(await database.query('SELECT id, input_tokens FROM usage ORDER BY id')).toEqual([
      { id: 'a', input_tokens: 1 },
      { id: 'b', input_tokens: 2 },
      { id: 'c', input_tokens: 3 },
      { id: 'd', input_tokens: 4 },
    ]);
    await database.close();
  });

  it('fails every write of a group whose commit fails, and stores none of them', async () => {
    const database = await LocalDatabase.inMemory();
    const store = new DuckDbRecordStore(database);
    const broken = { ...usage('x', 1), tool: null } as unknown as UsageRecord;
    // The first write commits alone; the two arriving while it commits share the next transaction.
    const results = await Promise.allSettled([store.write([usage('w', 1)]), store.write([usage('y', 1)]), store.write([broken])]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
    expect(await database.query('SELECT id FROM usage')).toEqual([{ id: 'w' }]);
    await database.close();
  });
});

describe('DuckDbSeriesStateStore', () => {
  it('keeps nanosecond times exactly and replaces a series baseline', async () => {
    const database = await LocalDatabase.inMemory();
    const state = new DuckDbSeriesStateStore(database);
    await state.save(new Map([['k1', { timeUnixNano: 1795342813895123457n, value: 10 }]]));
    await state.save(new Map([['k1', { timeUnixNano: 1795342813895123458n, value: 12.5 }], ['k2', { timeUnixNano: 1n, value: 0 }]]));
    expect(await state.load(['k1', 'k2', 'k3'])).toEqual(
      new Map([
        ['k1', { timeUnixNano: 1795342813895123458n, value: 12.5 }],
        ['k2', { timeUnixNano: 1n, value: 0 }],
      ]),
    );
    expect(await state.load([])).toEqual(new Map());
    await database.close();
  });
});
