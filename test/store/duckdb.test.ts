import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RECORD_KINDS } from '../../lambdas/records/schema.ts';
import type { UsageRecord } from '../../lambdas/records/types.ts';
import { LocalDatabase } from '../../lambdas/store/duckdb/database.ts';
import { DuckDbSeriesStateStore } from '../../lambdas/store/duckdb/series-state-store.ts';
import { RECORD_ID_DIMENSION, layoutOf } from '../../lambdas/store/timestream/layout.ts';
import { activity, usage as usageRecord } from '../support/records.ts';
import { openRecordStore } from '../support/record-store.ts';

/** A usage record told apart by its id and input tokens, the two things these tests look at. */
const usage = (id: string, input: number): UsageRecord => usageRecord({ id, input_tokens: input });

describe('DuckDbRecordStore', () => {
  it('stores each id once, across concurrent writes grouped into one commit and across repeats', async () => {
    const database = await LocalDatabase.inMemory();
    const store = await openRecordStore(database);
    const outcomes = await Promise.all([store.write([usage('a', 1), usage('b', 2)]), store.write([usage('b', 2), usage('c', 3)]), store.write([usage('a', 1)])]);
    expect(outcomes).toEqual([
      { written: 2, duplicates: 0, rejected: new Map(), rejectedIds: new Set() },
      { written: 1, duplicates: 1, rejected: new Map(), rejectedIds: new Set() },
      { written: 0, duplicates: 1, rejected: new Map(), rejectedIds: new Set() },
    ]);
    expect(await store.write([usage('c', 3), usage('d', 4)])).toEqual({ written: 1, duplicates: 1, rejected: new Map(), rejectedIds: new Set() });
    expect(await database.query('SELECT id, input_tokens FROM usage ORDER BY id')).toEqual([
      { id: 'a', input_tokens: 1 },
      { id: 'b', input_tokens: 2 },
      { id: 'c', input_tokens: 3 },
      { id: 'd', input_tokens: 4 },
    ]);
    await database.close();
  });

  it('refuses a write holding a record its table would refuse, naming the field, and keeps the writes around it', async () => {
    const database = await LocalDatabase.inMemory();
    const store = await openRecordStore(database);
    const noTool = { ...usage('x', 1), tool: null } as unknown as UsageRecord;
    const fractionalTokens = { ...usage('z', 1), input_tokens: 1.5 };
    const results = await Promise.allSettled([store.write([usage('w', 1)]), store.write([usage('y', 1), noTool]), store.write([usage('v', 1)]), store.write([fractionalTokens])]);
    expect(results.map((r) => (r.status === 'rejected' ? (r.reason as Error).message : r.value.written))).toEqual([
      1,
      'usage record x: tool is required',
      1,
      'usage record z: input_tokens must be a safe integer, got 1.5',
    ]);
    expect(await database.query('SELECT id FROM usage ORDER BY id')).toEqual([{ id: 'v' }, { id: 'w' }]);
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

describe('the events view', () => {
  it('has exactly the columns of the one-table Timestream layout', async () => {
    const database = await LocalDatabase.inMemory();
    const columns = (await database.query('DESCRIBE events')).map((row) => row.column_name);
    const timestream = RECORD_KINDS.flatMap((kind) => [...layoutOf(kind).dimensions, ...layoutOf(kind).measures].map((column) => column.name));
    expect(new Set(columns)).toEqual(new Set(['measure_name', 'time', RECORD_ID_DIMENSION, ...timestream]));
    expect(columns).toHaveLength(new Set(columns).size);
    await database.close();
  });

  it('reads each record as Timestream returns it: kind as measure name, time as a timestamp, no empty strings', async () => {
    const database = await LocalDatabase.inMemory();
    await (await openRecordStore(database)).write([{ ...usage('u1', 7), repo: '', session_id: null }, activity({ id: 'act', metric: 'sessions', value: 1, repo: null, session_id: 's' })]);
    const rows = await database.read(async (connection) =>
      (await connection.runAndReadAll('SELECT measure_name, time, record_id, repo, session_id, input_tokens, metric, value FROM events ORDER BY record_id')).getRowObjectsJS(),
    );
    expect(rows).toEqual([
      { measure_name: 'activity', time: new Date('2026-11-22T10:00:00Z'), record_id: 'act', repo: null, session_id: 's', input_tokens: null, metric: 'sessions', value: 1 },
      { measure_name: 'usage', time: new Date('2026-11-22T10:00:00Z'), record_id: 'u1', repo: null, session_id: null, input_tokens: 7n, metric: null, value: null },
    ]);
    await database.close();
  });

  it('is there when a second process opens the data directory read-only', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'seatmeter-events-'));
    const writer = await LocalDatabase.open(dataDir);
    await (await openRecordStore(writer)).write([usage('u1', 7)]);
    await writer.close();
    const reader = await LocalDatabase.open(dataDir, { readOnly: true });
    expect(await reader.query("SELECT record_id, input_tokens FROM events WHERE measure_name = 'usage'")).toEqual([{ record_id: 'u1', input_tokens: 7 }]);
    await reader.close();
  });
});
