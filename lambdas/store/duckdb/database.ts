import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { RECORD_KINDS, columnsOf } from '../../records/schema.ts';
import type { ColumnType } from '../../records/schema.ts';
import { SerialQueue } from '../../async/serial-queue.ts';
import { eventsViewSql } from './events-view.ts';

const SQL_TYPES: Readonly<Record<ColumnType, string>> = { string: 'VARCHAR', bigint: 'BIGINT', double: 'DOUBLE' };

export type SqlValue = string | number | boolean | null;
export type SqlRow = Readonly<Record<string, SqlValue>>;

/** The embedded database's file inside a data directory. */
export function databasePath(dataDir: string): string {
  return join(dataDir, 'seatmeter.duckdb');
}

/** The record journal's folder inside a data directory (see RecordJournal). */
export function journalPath(dataDir: string): string {
  return join(dataDir, 'journal');
}

/**
 * The local store: one DuckDB file holding the canonical record tables (laid out by
 * schemas/canonical-records.json), the `events` view over them that mirrors the Timestream table, and the
 * cumulative series state. DuckDB lets one process write a file, so the local server is that process and
 * everything else asks it over HTTP. Work is serialized through one
 * connection: ingest is a read-modify-write of series state and must not interleave.
 */
export class LocalDatabase {
  readonly #connection: DuckDBConnection;
  readonly #close: () => void;
  readonly #queue = new SerialQueue();
  readonly #beforeReads: (() => Promise<void>)[] = [];

  private constructor(connection: DuckDBConnection, close: () => void) {
    this.#connection = connection;
    this.#close = close;
  }

  /** Opens (creating if needed) the database under `dataDir`; `readOnly` for a second process while no server runs. */
  static async open(dataDir: string, options: { readonly readOnly?: boolean } = {}): Promise<LocalDatabase> {
    if (options.readOnly === true) return LocalDatabase.#connect(databasePath(dataDir), { access_mode: 'READ_ONLY' }, false);
    mkdirSync(dataDir, { recursive: true });
    return LocalDatabase.#connect(databasePath(dataDir), {}, true);
  }

  /** In-memory, for tests that need the real SQL without a file. */
  static inMemory(): Promise<LocalDatabase> {
    return LocalDatabase.#connect(':memory:', {}, true);
  }

  static async #connect(path: string, settings: Record<string, string>, createSchema: boolean): Promise<LocalDatabase> {
    const instance = await DuckDBInstance.create(path, settings);
    const connection = await instance.connect();
    const database = new LocalDatabase(connection, () => {
      connection.closeSync();
      instance.closeSync();
    });
    if (createSchema) await database.#createSchema();
    await connection.run(eventsViewSql());
    return database;
  }

  async #createSchema(): Promise<void> {
    for (const kind of RECORD_KINDS) {
      const columns = columnsOf(kind).map((c) => `${c.name} ${SQL_TYPES[c.type]}${c.nullable ? '' : ' NOT NULL'}${c.role === 'id' ? ' PRIMARY KEY' : ''}`);
      await this.#connection.run(`CREATE TABLE IF NOT EXISTS ${kind} (${columns.join(', ')})`);
      // A data directory from before a nullable column existed gains it, empty for the records stored then.
      for (const column of columnsOf(kind).filter((c) => c.nullable)) {
        await this.#connection.run(`ALTER TABLE ${kind} ADD COLUMN IF NOT EXISTS ${column.name} ${SQL_TYPES[column.type]}`);
      }
    }
    await this.#connection.run(
      'CREATE TABLE IF NOT EXISTS series_state (series_key VARCHAR PRIMARY KEY, time_unix_nano VARCHAR NOT NULL, value DOUBLE NOT NULL)',
    );
    // Budgets in their file form (schemas/budgets.schema.json), validated again when read.
    await this.#connection.run('CREATE TABLE IF NOT EXISTS budgets (name VARCHAR PRIMARY KEY, definition VARCHAR NOT NULL)');
    await this.#connection.run(
      'CREATE TABLE IF NOT EXISTS budget_grants (target VARCHAR NOT NULL, until_ms BIGINT NOT NULL, extra_usd DOUBLE, granted_by VARCHAR NOT NULL, reason VARCHAR NOT NULL, granted_at_ms BIGINT NOT NULL)',
    );
    // One row per alert ever claimed: the key makes each (budget, period, threshold) go out once.
    await this.#connection.run(
      'CREATE TABLE IF NOT EXISTS budget_alerts (key VARCHAR PRIMARY KEY, budget VARCHAR NOT NULL, period_key VARCHAR NOT NULL, kind VARCHAR NOT NULL, message VARCHAR NOT NULL, claimed_by VARCHAR NOT NULL, claimed_at_ms BIGINT NOT NULL, delivered_at_ms BIGINT, failure VARCHAR)',
    );
  }

  /** Runs `work` alone on the connection, after everything queued before it. */
  exclusive<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    return this.#queue.run(() => work(this.#connection));
  }

  /** `hook` runs before each `read` and `query` and before closing: how a journal in front of the tables is moved in. */
  beforeEachRead(hook: () => Promise<void>): void {
    this.#beforeReads.push(hook);
  }

  /** `work` inside one transaction: all of it is durable on return, or none of it. */
  transaction<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    return this.exclusive(async (connection) => {
      await connection.run('BEGIN TRANSACTION');
      try {
        const result = await work(connection);
        await connection.run('COMMIT');
        return result;
      } catch (error) {
        // A COMMIT that failed (disk full) has already ended the transaction, so this ROLLBACK fails too;
        // its "no transaction is active" would hide the cause the operator needs to see.
        await connection.run('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  /** Like `exclusive`, for reading the tables: after the hooks, so it sees every acknowledged record. */
  async read<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    for (const hook of this.#beforeReads) await hook();
    return this.exclusive(work);
  }

  /** Rows as plain objects; BIGINT values come back as numbers (every count here is a safe integer). */
  query(sql: string, params: readonly DuckDBValue[] = []): Promise<SqlRow[]> {
    return this.read(async (connection) => {
      const reader = await connection.runAndReadAll(sql, [...params]);
      return reader.getRowObjectsJS().map((row) => {
        const out: Record<string, SqlValue> = {};
        for (const [key, value] of Object.entries(row)) out[key] = typeof value === 'bigint' ? Number(value) : (value as SqlValue);
        return out;
      });
    });
  }

  async close(): Promise<void> {
    for (const hook of this.#beforeReads) await hook();
    await this.exclusive(async () => this.#close());
  }
}
