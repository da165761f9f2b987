import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { RECORD_KINDS, columnsOf } from '../../records/schema.ts';
import type { CanonicalRecord } from '../../records/types.ts';
import type { RecordStore, StoreWriteOutcome } from '../types.ts';
import type { LocalDatabase } from './database.ts';

/** DuckDB caps prepared parameters per statement; 400 rows × ~25 columns stays well inside. */
const ROWS_PER_STATEMENT = 400;

interface PendingWrite {
  readonly records: readonly CanonicalRecord[];
  readonly resolve: (outcome: StoreWriteOutcome) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Writes canonical records into the local database (one table per kind); a stored id is skipped, never
 * doubled. A commit costs milliseconds of fsync, so writes that arrive while one commits are grouped into the
 * next transaction: each caller still resolves only once its own records are durable.
 */
export class DuckDbRecordStore implements RecordStore {
  readonly #database: LocalDatabase;
  #pending: PendingWrite[] = [];
  #flushing = false;

  constructor(database: LocalDatabase) {
    this.#database = database;
  }

  write(records: readonly CanonicalRecord[]): Promise<StoreWriteOutcome> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ records, resolve, reject });
      if (!this.#flushing) void this.#flush();
    });
  }

  async #flush(): Promise<void> {
    this.#flushing = true;
    while (this.#pending.length > 0) {
      const group = this.#pending;
      this.#pending = [];
      try {
        const inserted = await this.#database.transaction((connection) => insert(connection, group.flatMap((write) => write.records)));
        for (const write of group) {
          // An id two writes of one group share is stored once: it counts for the first of them.
          const written = write.records.filter((record) => inserted.delete(record.id)).length;
          write.resolve({ written, duplicates: write.records.length - written, rejected: new Map() });
        }
      } catch (error) {
        for (const write of group) write.reject(error);
      }
    }
    this.#flushing = false;
  }
}

/** Inserts what is not stored yet and returns the ids it inserted: one statement per kind and batch. */
async function insert(connection: DuckDBConnection, records: readonly CanonicalRecord[]): Promise<Set<string>> {
  const inserted = new Set<string>();
  for (const kind of RECORD_KINDS) {
    const rows = records.filter((record) => record.kind === kind);
    const names = columnsOf(kind).map((column) => column.name);
    for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
      const batch = rows.slice(start, start + ROWS_PER_STATEMENT);
      const rowParameters = batch.map(() => `(${names.map(() => '?').join(', ')})`).join(', ');
      const values: DuckDBValue[] = batch.flatMap((record) => names.map((name) => (record as unknown as Record<string, DuckDBValue>)[name] ?? null));
      const reader = await connection.runAndReadAll(`INSERT OR IGNORE INTO ${kind} (${names.join(', ')}) VALUES ${rowParameters} RETURNING id`, values);
      for (const row of reader.getRows()) inserted.add(String(row[0]));
    }
  }
  return inserted;
}
