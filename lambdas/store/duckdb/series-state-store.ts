import { listValue } from '@duckdb/node-api';
import type { SeriesState, SeriesStateStore } from '../../temporality/series-state.ts';
import type { LocalDatabase } from './database.ts';

/** Cumulative baselines in the same database file as the records, so they survive a restart. */
export class DuckDbSeriesStateStore implements SeriesStateStore {
  readonly #database: LocalDatabase;

  constructor(database: LocalDatabase) {
    this.#database = database;
  }

  async load(keys: readonly string[]): Promise<ReadonlyMap<string, SeriesState>> {
    const found = new Map<string, SeriesState>();
    if (keys.length === 0) return found;
    const rows = await this.#database.query('SELECT series_key, time_unix_nano, value FROM series_state WHERE list_contains(?::VARCHAR[], series_key)', [
      listValue(keys),
    ]);
    for (const row of rows) {
      found.set(String(row.series_key), { timeUnixNano: BigInt(String(row.time_unix_nano)), value: Number(row.value) });
    }
    return found;
  }

  save(updates: ReadonlyMap<string, SeriesState>): Promise<void> {
    return this.#database.transaction(async (connection) => {
      for (const [key, state] of updates) {
        await connection.run('INSERT OR REPLACE INTO series_state VALUES (?, ?, ?)', [key, String(state.timeUnixNano), state.value]);
      }
    });
  }
}
