import { cpSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalDatabase, journalPath } from '../../../lambdas/store/duckdb/database.ts';
import { DuckDbRecordStore } from '../../../lambdas/store/duckdb/record-store.ts';
import { SeenIds } from '../../../lambdas/store/duckdb/seen-ids.ts';
import { activity, usage } from '../../support/records.ts';

/** Applies only when asked (by a read or close): what the journal holds meanwhile is what a crash would leave. */
const NEVER_BY_ITSELF = { applyEveryRecords: Number.MAX_SAFE_INTEGER, applyAfterMs: 3_600_000 };
const dataDir = () => mkdtempSync(join(tmpdir(), 'seatmeter-store-'));
const segments = (dir: string) => readdirSync(journalPath(dir));

describe('DuckDbRecordStore and its journal', () => {
  it('acknowledges from the journal, and every read of the database sees what was acknowledged', async () => {
    const dir = dataDir();
    const database = await LocalDatabase.open(dir);
    const store = await DuckDbRecordStore.open(database, journalPath(dir), NEVER_BY_ITSELF);
    expect(await store.write([usage({ id: 'u1', input_tokens: 5 }), activity({ id: 'a1', metric: 'sessions', value: 1 })])).toEqual({ written: 2, duplicates: 0, rejected: new Map(), rejectedIds: new Set() });
    expect(segments(dir)).toEqual(['000000000001.ndjson']);
    expect(await database.read(async (connection) => (await connection.runAndReadAll('SELECT count(*) FROM usage')).getRows())).toEqual([[1n]]);
    expect(segments(dir)).toEqual([]);
    expect(await database.query('SELECT id, metric, value FROM activity')).toEqual([{ id: 'a1', metric: 'sessions', value: 1 }]);
    await database.close();
  });

  it('counts a repeat as a duplicate while it is only journaled, once it is in the database, and after a restart', async () => {
    const dir = dataDir();
    let database = await LocalDatabase.open(dir);
    let store = await DuckDbRecordStore.open(database, journalPath(dir), NEVER_BY_ITSELF);
    const record = usage({ id: 'u1', input_tokens: 5 });
    await store.write([record]);
    expect(await store.write([record, usage({ id: 'u2', input_tokens: 1 })])).toEqual({ written: 1, duplicates: 1, rejected: new Map(), rejectedIds: new Set() });
    await store.applyJournal();
    expect(await store.write([record])).toEqual({ written: 0, duplicates: 1, rejected: new Map(), rejectedIds: new Set() });
    await database.close();

    database = await LocalDatabase.open(dir);
    store = await DuckDbRecordStore.open(database, journalPath(dir), NEVER_BY_ITSELF);
    expect(await store.write([record, usage({ id: 'u2', input_tokens: 1 }), usage({ id: 'u3', input_tokens: 1 })])).toEqual({ written: 1, duplicates: 2, rejected: new Map(), rejectedIds: new Set() });
    expect(await database.query('SELECT id FROM usage ORDER BY id')).toEqual([{ id: 'u1' }, { id: 'u2' }, { id: 'u3' }]);
    await database.close();
  });

  it('moves in at its next start what a stopped process acknowledged but had not moved, exactly once', async () => {
    const crashed = dataDir();
    const database = await LocalDatabase.open(crashed);
    const store = await DuckDbRecordStore.open(database, journalPath(crashed), NEVER_BY_ITSELF);
    await store.write([usage({ id: 'u1', input_tokens: 5 }), usage({ id: 'u2', input_tokens: 7 })]);
    // The data directory as a kill would leave it: the records in the journal only.
    const restarted = dataDir();
    cpSync(journalPath(crashed), journalPath(restarted), { recursive: true });
    await database.close();

    const reopened = await LocalDatabase.open(restarted);
    const again = await DuckDbRecordStore.open(reopened, journalPath(restarted), NEVER_BY_ITSELF);
    expect(segments(restarted)).toEqual([]);
    expect(await reopened.query('SELECT id, input_tokens FROM usage ORDER BY id')).toEqual([{ id: 'u1', input_tokens: 5 }, { id: 'u2', input_tokens: 7 }]);
    expect(await again.write([usage({ id: 'u2', input_tokens: 7 })])).toEqual({ written: 0, duplicates: 1, rejected: new Map(), rejectedIds: new Set() });
    await reopened.close();
  });

  it('moves the journal in by itself after a number of records or a time, without a read', async () => {
    const dir = dataDir();
    const database = await LocalDatabase.open(dir);
    const store = await DuckDbRecordStore.open(database, journalPath(dir), { applyEveryRecords: 2, applyAfterMs: 3_600_000 });
    await store.write([usage({ id: 'u1', input_tokens: 1 }), usage({ id: 'u2', input_tokens: 1 })]);
    await expect.poll(() => segments(dir)).toEqual([]);
    await database.close();

    const timedDir = dataDir();
    const timedDatabase = await LocalDatabase.open(timedDir);
    const timed = await DuckDbRecordStore.open(timedDatabase, journalPath(timedDir), { applyEveryRecords: 1_000, applyAfterMs: 10 });
    await timed.write([usage({ id: 'u3', input_tokens: 1 })]);
    expect(segments(timedDir)).toEqual(['000000000001.ndjson']);
    await expect.poll(() => segments(timedDir)).toEqual([]);
    await timedDatabase.close();
  });
});

describe('SeenIds', () => {
  it('never forgets an id it was given, for record ids and for other strings', () => {
    const seen = new SeenIds(16);
    const ids = Array.from({ length: 2_000 }, (_, i) => (i % 2 === 0 ? i.toString(16).padStart(32, 'f') : `id-${i}`));
    for (const id of ids) seen.add(id);
    expect(ids.every((id) => seen.mightContain(id))).toBe(true);
    const others = Array.from({ length: 2_000 }, (_, i) => `other-${i}`);
    // 2,000 ids in 65,536 bits: a few false positives at most, and never a false negative above.
    expect(others.filter((id) => seen.mightContain(id)).length).toBeLessThan(40);
  });
});
