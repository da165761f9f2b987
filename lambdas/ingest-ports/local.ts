import type { IngestPorts } from '../ingest/ingest.ts';
import { SerialQueue } from '../local/serial-queue.ts';
import { defaultPriceBook } from '../pricing/default-price-book.ts';
import type { LocalDatabase } from '../store/duckdb/database.ts';
import { DuckDbRecordStore } from '../store/duckdb/record-store.ts';
import { DuckDbSeriesStateStore } from '../store/duckdb/series-state-store.ts';

/**
 * The ports of one process that holds the local database. Cumulative state is read, then written after the
 * records, so two such exports must not interleave there: one queue for every scope is enough, since
 * cumulative exports are a small share of the traffic and one process owns the database.
 */
export function localIngestPorts(database: LocalDatabase): IngestPorts {
  const cumulativeQueue = new SerialQueue();
  return {
    store: new DuckDbRecordStore(database),
    state: new DuckDbSeriesStateStore(database),
    pricer: defaultPriceBook(),
    cumulativeLock: <T>(_scopes: readonly string[], work: () => Promise<T>) => cumulativeQueue.run(work),
  };
}
