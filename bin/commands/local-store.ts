import { existsSync } from 'node:fs';
import { LocalDatabase, databasePath } from '../../lambdas/store/duckdb/database.ts';

/** The data directory holds no database, or another process holds it. */
export class LocalStoreError extends Error {}

/** Opens the data directory's database for reading, for a command that found no running server to ask. */
export async function openStoreFile(dataDir: string): Promise<LocalDatabase> {
  if (!existsSync(databasePath(dataDir))) {
    throw new LocalStoreError(`no seatmeter data in ${dataDir}: start \`seatmeter serve\` and point a CLI at it (see client-config)`);
  }
  return LocalDatabase.open(dataDir, { readOnly: true }).catch((error: unknown) => {
    // DuckDB lets one process hold a file it writes: a server for this directory that left no server.json.
    throw new LocalStoreError(`cannot open ${databasePath(dataDir)} (${error instanceof Error ? error.message : String(error)}); if seatmeter serve is running, pass --url`);
  });
}
