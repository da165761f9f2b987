import { cpSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalStoreError, openStoreFile } from '../../bin/commands/local-store.ts';
import { LocalDatabase, journalPath } from '../../lambdas/store/duckdb/database.ts';
import { DuckDbRecordStore } from '../../lambdas/store/duckdb/record-store.ts';
import { usage } from '../support/records.ts';

describe('openStoreFile', () => {
  it('first moves in what a killed server left in its journal, so a command without a server misses nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seatmeter-cmd-'));
    const killed = mkdtempSync(join(tmpdir(), 'seatmeter-cmd-'));
    // What a kill right after the acknowledgement leaves: a database without the record, the record in the journal.
    await (await LocalDatabase.open(killed)).close();
    const writer = await LocalDatabase.open(dir);
    const store = await DuckDbRecordStore.open(writer, journalPath(dir), { applyEveryRecords: 1_000, applyAfterMs: 3_600_000 });
    await store.write([usage({ id: 'u1', input_tokens: 5 })]);
    cpSync(journalPath(dir), journalPath(killed), { recursive: true });
    await writer.close();

    const database = await openStoreFile(killed);
    expect(readdirSync(journalPath(killed))).toEqual([]);
    expect(await database.query('SELECT id, input_tokens FROM usage')).toEqual([{ id: 'u1', input_tokens: 5 }]);
    await database.close();
  });

  it('says so when the directory holds no database', async () => {
    await expect(openStoreFile(mkdtempSync(join(tmpdir(), 'seatmeter-cmd-')))).rejects.toThrow(LocalStoreError);
  });
});
