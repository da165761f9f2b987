import { TeamMap } from '../../lambdas/budgets/team-map.ts';
import { ingestOtlp } from '../../lambdas/ingest/ingest.ts';
import { defaultPriceBook } from '../../lambdas/pricing/default-price-book.ts';
import { LocalDatabase } from '../../lambdas/store/duckdb/database.ts';
import { openRecordStore } from './record-store.ts';
import { DuckDbSeriesStateStore } from '../../lambdas/store/duckdb/series-state-store.ts';
import { CAPTURES, loadCapture } from './captures.ts';

/**
 * An in-memory local store holding every captured request, ingested once in capture order through the same
 * ports `seatmeter serve` uses (DuckDB records and series state, the default price book, a team map), without its HTTP.
 */
export async function localStoreWithCaptures(teams: TeamMap = TeamMap.EMPTY): Promise<LocalDatabase> {
  const database = await LocalDatabase.inMemory();
  const ports = { store: await openRecordStore(database), state: new DuckDbSeriesStateStore(database), pricer: defaultPriceBook(), teams: { current: async () => teams } };
  for (const [id] of CAPTURES) {
    const capture = loadCapture(id);
    await ingestOtlp({ body: capture.body, contentType: capture.contentType, contentEncoding: capture.contentEncoding, pathHint: capture.path }, ports);
  }
  return database;
}
