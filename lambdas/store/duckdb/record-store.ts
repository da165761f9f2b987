import type { DuckDBConnection } from '@duckdb/node-api';
import { SerialQueue } from '../../async/serial-queue.ts';
import { RECORD_KINDS, columnProblem, columnsOf } from '../../records/schema.ts';
import type { ColumnType } from '../../records/schema.ts';
import type { CanonicalRecord } from '../../records/types.ts';
import type { RecordStore, StoreWriteOutcome } from '../types.ts';
import type { LocalDatabase } from './database.ts';
import { RecordJournal, removeSegment } from './record-journal.ts';
import { SeenIds } from './seen-ids.ts';

/** Records journaled before a batch is moved into the database, or sooner by APPLY_AFTER_MS. */
const APPLY_EVERY_RECORDS = 20_000;
/** How long a record stays only in the journal while nothing reads: what a crash leaves to replay at start. */
const APPLY_AFTER_MS = 1_000;
/** Ids per lookup of "maybe seen" ids, well inside DuckDB's parameter limits. */
const IDS_PER_LOOKUP = 1_000;

const SQL_TYPES: Readonly<Record<ColumnType, string>> = { string: 'VARCHAR', bigint: 'BIGINT', double: 'DOUBLE' };

interface PendingWrite {
  readonly records: readonly CanonicalRecord[];
  readonly resolve: (outcome: StoreWriteOutcome) => void;
  readonly reject: (error: unknown) => void;
}

export interface RecordStoreOptions {
  /** @default APPLY_EVERY_RECORDS */
  readonly applyEveryRecords?: number;
  /** @default APPLY_AFTER_MS */
  readonly applyAfterMs?: number;
}

/**
 * Writes canonical records into the local database (one table per kind); a stored id is skipped, never
 * doubled, and counted as a duplicate. A write is acknowledged once its new records are in the journal
 * (see RecordJournal); writes that arrive while one is being synced are grouped into the next append. The
 * journal is moved into the database in batches, and before every read of the database, so a report never
 * misses an acknowledged record.
 */
export class DuckDbRecordStore implements RecordStore {
  readonly #database: LocalDatabase;
  readonly #journal: RecordJournal;
  readonly #seen: SeenIds;
  readonly #applyEveryRecords: number;
  readonly #applyAfterMs: number;
  readonly #applies = new SerialQueue();
  /** Ids in the journal and not yet in the database, by segment: certain duplicates without a lookup. */
  readonly #journaled = new Map<string, Set<string>>();
  #journaledCount = 0;
  #pending: PendingWrite[] = [];
  #flushing = false;
  #timer: NodeJS.Timeout | null = null;

  private constructor(database: LocalDatabase, journal: RecordJournal, seen: SeenIds, options: RecordStoreOptions) {
    this.#database = database;
    this.#journal = journal;
    this.#seen = seen;
    this.#applyEveryRecords = options.applyEveryRecords ?? APPLY_EVERY_RECORDS;
    this.#applyAfterMs = options.applyAfterMs ?? APPLY_AFTER_MS;
  }

  /**
   * Opens the store over `database` with its journal in `journalDir`: first moves into the database what a
   * previous process journaled and did not apply, then learns the stored ids, and from then on applies the
   * journal before each of the database's reads and when it closes.
   */
  static async open(database: LocalDatabase, journalDir: string, options: RecordStoreOptions = {}): Promise<DuckDbRecordStore> {
    const { journal, leftovers } = await RecordJournal.open(journalDir);
    for (const segment of leftovers) await applySegment(database, segment);
    const seen = new SeenIds();
    await database.exclusive(async (connection) => {
      for (const kind of RECORD_KINDS) {
        const result = await connection.stream(`SELECT id FROM ${kind}`);
        for (let chunk = await result.fetchChunk(); chunk !== null && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
          for (const [id] of chunk.getRows()) seen.add(String(id));
        }
      }
    });
    const store = new DuckDbRecordStore(database, journal, seen, options);
    database.beforeEachRead(() => store.applyJournal());
    return store;
  }

  write(records: readonly CanonicalRecord[]): Promise<StoreWriteOutcome> {
    // The journal is trusted when it is moved in: a record the tables would refuse must not get there.
    for (const record of records) {
      const problem = columnProblem(record);
      if (problem !== null) return Promise.reject(new Error(problem));
    }
    return new Promise((resolve, reject) => {
      this.#pending.push({ records, resolve, reject });
      if (!this.#flushing) void this.#flush();
    });
  }

  /** Moves everything journaled so far into the database; resolves once it is committed there. */
  applyJournal(): Promise<void> {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    return this.#applies.run(async () => {
      const segment = await this.#journal.seal();
      if (segment === null) return;
      // On failure the segment stays, and so do its ids: the next apply, or the next start, moves it in.
      await applySegment(this.#database, segment);
      this.#journaledCount -= this.#journaled.get(segment)?.size ?? 0;
      this.#journaled.delete(segment);
    });
  }

  async #flush(): Promise<void> {
    this.#flushing = true;
    while (this.#pending.length > 0) {
      const group = this.#pending;
      this.#pending = [];
      try {
        const fresh = await this.#freshRecords(group.flatMap((write) => write.records));
        const written = new Set(fresh.map((record) => record.id));
        if (fresh.length > 0) {
          const segment = await this.#journal.append(fresh.map((record) => `${JSON.stringify(record)}\n`).join(''));
          const ids = this.#journaled.get(segment) ?? new Set<string>();
          this.#journaled.set(segment, ids);
          for (const id of written) {
            ids.add(id);
            this.#seen.add(id);
          }
          this.#journaledCount += written.size;
        }
        for (const write of group) {
          // An id two writes of one group share is stored once: it counts for the first of them.
          const count = write.records.filter((record) => written.delete(record.id)).length;
          write.resolve({ written: count, duplicates: write.records.length - count, rejected: new Map(), rejectedIds: new Set() });
        }
        this.#scheduleApply();
      } catch (error) {
        for (const write of group) write.reject(error);
      }
    }
    this.#flushing = false;
  }

  /** The records of the group whose id is neither stored, nor journaled, nor earlier in the group. */
  async #freshRecords(records: readonly CanonicalRecord[]): Promise<CanonicalRecord[]> {
    const inGroup = new Set<string>();
    const candidates: CanonicalRecord[] = [];
    const maybeStored: string[] = [];
    for (const record of records) {
      if (inGroup.has(record.id) || this.#isJournaled(record.id)) continue;
      inGroup.add(record.id);
      candidates.push(record);
      if (this.#seen.mightContain(record.id)) maybeStored.push(record.id);
    }
    if (maybeStored.length === 0) return candidates;
    const stored = await this.#storedIds(maybeStored);
    return candidates.filter((record) => !stored.has(record.id));
  }

  #isJournaled(id: string): boolean {
    for (const ids of this.#journaled.values()) if (ids.has(id)) return true;
    return false;
  }

  /** Which of the ids the database holds, by index lookups on the tables' primary keys. */
  #storedIds(ids: readonly string[]): Promise<Set<string>> {
    return this.#database.exclusive(async (connection) => {
      const stored = new Set<string>();
      for (let start = 0; start < ids.length; start += IDS_PER_LOOKUP) {
        const batch = ids.slice(start, start + IDS_PER_LOOKUP);
        const list = batch.map(() => '?').join(', ');
        const sql = RECORD_KINDS.map((kind) => `SELECT id FROM ${kind} WHERE id IN (${list})`).join(' UNION ALL ');
        const reader = await connection.runAndReadAll(sql, RECORD_KINDS.flatMap(() => batch));
        for (const [id] of reader.getRows()) stored.add(String(id));
      }
      return stored;
    });
  }

  #scheduleApply(): void {
    if (this.#journaledCount >= this.#applyEveryRecords) {
      void this.applyJournal().catch(() => undefined);
      return;
    }
    if (this.#timer === null && this.#journaledCount > 0) {
      this.#timer = setTimeout(() => void this.applyJournal().catch(() => undefined), this.#applyAfterMs);
      this.#timer.unref();
    }
  }
}

/** Moves one journal segment into the tables in one transaction, then removes it: a crash in between applies it again, harmlessly. */
async function applySegment(database: LocalDatabase, segment: string): Promise<void> {
  await database.transaction((connection) => insertSegment(connection, segment));
  await removeSegment(segment);
}

/** DuckDB parses the segment itself: no value crosses into JavaScript on the way from the journal to the tables. */
async function insertSegment(connection: DuckDBConnection, segment: string): Promise<void> {
  const columns = new Map<string, ColumnType>([['kind', 'string']]);
  for (const kind of RECORD_KINDS) for (const column of columnsOf(kind)) columns.set(column.name, column.type);
  const types = [...columns].map(([name, type]) => `${name}: '${SQL_TYPES[type]}'`).join(', ');
  // Parsed once for the three kinds; a scratch table a failed apply left behind is replaced.
  await connection.run(`CREATE OR REPLACE TEMP TABLE journal_segment AS SELECT * FROM read_json(?, format = 'newline_delimited', columns = {${types}})`, [segment]);
  for (const kind of RECORD_KINDS) {
    const names = columnsOf(kind).map((column) => column.name).join(', ');
    await connection.run(`INSERT OR IGNORE INTO ${kind} (${names}) SELECT ${names} FROM journal_segment WHERE kind = ?`, [kind]);
  }
  await connection.run('DROP TABLE journal_segment');
}
