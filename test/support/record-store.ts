import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalDatabase } from '../../lambdas/store/duckdb/database.ts';
import { DuckDbRecordStore } from '../../lambdas/store/duckdb/record-store.ts';

/** The record store over a test's database, with its journal in a fresh folder. */
export function openRecordStore(database: LocalDatabase): Promise<DuckDbRecordStore> {
  return DuckDbRecordStore.open(database, mkdtempSync(join(tmpdir(), 'seatmeter-journal-')));
}
