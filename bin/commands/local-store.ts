import { existsSync } from 'node:fs';
import { LocalDatabase, databasePath, journalPath } from '../../lambdas/store/duckdb/database.ts';
import { segmentsIn } from '../../lambdas/store/duckdb/record-journal.ts';
import { DuckDbRecordStore } from '../../lambdas/store/duckdb/record-store.ts';

/** The data directory holds no database, or another process holds it. */
export class LocalStoreError extends Error {}

/** Opens the data directory's database for reading, for a command that found no running server to ask. */
export async function openStoreFile(dataDir: string): Promise<LocalDatabase> {
  if (!existsSync(databasePath(dataDir))) {
    throw new LocalStoreError(`no seatmeter data in ${dataDir}: start \`seatmeter serve\` and point a CLI at it (see client-config)`);
  }
  try {
    // A server that stopped without moving its journal in (killed, power lost) left acknowledged records there.
    if (segmentsIn(journalPath(dataDir)).length > 0) await applyLeftJournal(dataDir);
  } catch (error) {
    throw new LocalStoreError(`cannot move the journal of ${dataDir} into its database (${error instanceof Error ? error.message : String(error)}); if seatmeter serve is running, pass --url`);
  }
  return LocalDatabase.open(dataDir, { readOnly: true }).catch((error: unknown) => {
    // DuckDB lets one process hold a file it writes: a server for this directory that left no server.json.
    throw new LocalStoreError(`cannot open ${databasePath(dataDir)} (${error instanceof Error ? error.message : String(error)}); if seatmeter serve is running, pass --url`);
  });
}

/**
 * Opens (creating if needed) the data directory's database to change it, for a command that found no running
 * server: what a killed server left in the journal is moved in first, so spend read next counts it.
 */
export async function openStoreForChange(dataDir: string): Promise<LocalDatabase> {
  const database = await LocalDatabase.open(dataDir).catch((error: unknown) => {
    throw new LocalStoreError(`cannot open ${databasePath(dataDir)} (${error instanceof Error ? error.message : String(error)}); if seatmeter serve is running, pass --url`);
  });
  try {
    await DuckDbRecordStore.open(database, journalPath(dataDir));
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}

async function applyLeftJournal(dataDir: string): Promise<void> {
  await (await openStoreForChange(dataDir)).close();
}
