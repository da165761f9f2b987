import type { TeamDirectoryMap } from '../budgets/team-map.ts';
import type { IngestPorts } from '../ingest/ingest.ts';
import { TeamMapFile, teamMapPath } from '../local/team-map-file.ts';
import { SerialQueue } from '../async/serial-queue.ts';
import { defaultPriceBook } from '../pricing/default-price-book.ts';
import { journalPath } from '../store/duckdb/database.ts';
import type { LocalDatabase } from '../store/duckdb/database.ts';
import { DuckDbRecordStore } from '../store/duckdb/record-store.ts';
import { DuckDbSeriesStateStore } from '../store/duckdb/series-state-store.ts';

/**
 * The ports of one process that holds the local database. Cumulative state is read, then written after the
 * records, so two such exports must not interleave there: one queue for every scope is enough, since
 * cumulative exports are a small share of the traffic and one process owns the database. Records get their
 * team from the data directory's teams.json.
 */
export async function localIngestPorts(database: LocalDatabase, dataDir: string, teams: TeamDirectoryMap = new TeamMapFile(teamMapPath(dataDir))): Promise<IngestPorts> {
  const cumulativeQueue = new SerialQueue();
  return {
    store: await DuckDbRecordStore.open(database, journalPath(dataDir)),
    state: new DuckDbSeriesStateStore(database),
    pricer: defaultPriceBook(),
    cumulativeLock: <T>(_scopes: readonly string[], work: () => Promise<T>) => cumulativeQueue.run(work),
    teams,
  };
}
