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
    // Not `query`: baselines are not in the record journal, so no need to wait for it to be moved in.
    const rows = await this.#database.exclusive(async (connection) =>
      (await connection.runAndReadAll('SELECT series_key, time_unix_nano, value FROM series_state WHERE list_contains(?::VARCHAR[], series_key)', [listValue(keys)])).getRows(),
    );
    for (const [key, time, value] of rows) found.set(String(key), { timeUnixNano: BigInt(String(time)), value: Number(value) });
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
