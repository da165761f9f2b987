import { setTimeout as delay } from 'node:timers/promises';
import { RejectedRecordsException, WriteRecordsCommand } from '@aws-sdk/client-timestream-write';
import type { TimestreamWriteClient } from '@aws-sdk/client-timestream-write';
import type { CanonicalRecord } from '../../records/types.ts';
import { StorageUnavailableError } from '../errors.ts';
import type { RecordStore, StoreWriteOutcome } from '../types.ts';
import { chunks } from '../chunks.ts';
import { writeRequest } from './batch.ts';
import { tableOf } from './layout.ts';
import { FUTURE_SAFETY_MARGIN_MS, FUTURE_WINDOW_MS, MAX_RECORDS_PER_WRITE, MAX_RECORD_BYTES } from './limits.ts';
import { recordBytes } from './record-size.ts';
import { toTimestreamRecord } from './record.ts';
import type { TimestreamRecord } from './record.ts';
import { backoffDelay, isTransient } from './retry.ts';
import type { TableNames, TimestreamTarget } from './types.ts';

export const FUTURE_TIME_REASON = 'time more than 15 minutes in the future';
export const RECORD_TOO_LARGE_REASON = `record larger than ${MAX_RECORD_BYTES} bytes`;
/** Timestream gave no reason text for a rejected record. */
export const UNEXPLAINED_REASON = 'rejected by Timestream';
/** Without a deadline from the caller, a write gives up retrying after this long. */
const DEFAULT_WRITE_BUDGET_MS = 10_000;

export interface TimestreamRecordStoreOptions extends TimestreamTarget<TimestreamWriteClient> {
  readonly sleep?: (ms: number) => Promise<void>;
  /** A number in [0, 1): the jitter of the retry backoff. */
  readonly random?: () => number;
  /**
   * Called before each wait for a retry of a WriteRecords (the client's own retries inside an attempt are not
   * seen): a retry that succeeds leaves no other trace, and the receiver counts them in a metric.
   */
  readonly onRetry?: () => void;
}

/**
 * Writes canonical records to Timestream for LiveAnalytics: to each kind's table (one `events` table for all
 * by default), one multi-measure record per canonical record, up to 100 records per WriteRecords. Throttling,
 * server and network failures are retried with backoff while the deadline allows; past it, or on any other
 * failure, the write throws StorageUnavailableError. Batches written before the failure stay written, which
 * is harmless: a resent record is identical and Timestream ignores it.
 *
 * `duplicates` counts only ids repeated within one call. Timestream accepts a record it already holds without
 * saying so, so a repeat of an earlier call counts as written.
 *
 * The client's own retries (three attempts by default) run inside each of our attempts; the deadline bounds
 * the whole, since every attempt is aborted when it is reached.
 */
export class TimestreamRecordStore implements RecordStore {
  readonly #client: TimestreamWriteClient;
  readonly #databaseName: string;
  readonly #tableNames: TableNames;
  readonly #now: () => number;
  readonly #deadline: (() => number) | undefined;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #random: () => number;
  readonly #onRetry: (() => void) | undefined;

  constructor(options: TimestreamRecordStoreOptions) {
    this.#client = options.client;
    this.#databaseName = options.databaseName;
    this.#tableNames = options.tableNames ?? {};
    this.#now = options.now ?? Date.now;
    this.#deadline = options.deadline;
    this.#sleep = options.sleep ?? ((ms) => delay(ms));
    this.#random = options.random ?? Math.random;
    this.#onRetry = options.onRetry;
  }

  async write(records: readonly CanonicalRecord[]): Promise<StoreWriteOutcome> {
    const deadline = this.#deadline?.() ?? this.#now() + DEFAULT_WRITE_BUDGET_MS;
    const unique = new Map<string, CanonicalRecord>();
    for (const record of records) if (!unique.has(record.id)) unique.set(record.id, record);
    const rejected = new Map<string, number>();
    const rejectedIds = new Set<string>();
    const tables = new Map<string, { row: TimestreamRecord; id: string }[]>();
    // Refused here rather than by Timestream: the same way on every attempt, and with a reason a client can read.
    const horizon = this.#now() + FUTURE_WINDOW_MS - FUTURE_SAFETY_MARGIN_MS;
    for (const record of unique.values()) {
      const row = toTimestreamRecord(record);
      const problem = record.time_ms > horizon ? FUTURE_TIME_REASON : recordBytes(row) > MAX_RECORD_BYTES ? RECORD_TOO_LARGE_REASON : null;
      if (problem !== null) {
        count(rejected, problem);
        rejectedIds.add(record.id);
        continue;
      }
      const table = tableOf(this.#tableNames, record.kind);
      const rows = tables.get(table) ?? [];
      rows.push({ row, id: record.id });
      tables.set(table, rows);
    }
    let written = 0;
    for (const [table, rows] of tables) {
      for (const batch of chunks(rows, MAX_RECORDS_PER_WRITE)) {
        const refused = await this.#writeBatch(
          table,
          batch.map((entry) => entry.row),
          deadline,
        );
        for (const [index, reason] of refused) {
          count(rejected, reason);
          rejectedIds.add((batch[index] as { id: string }).id);
        }
        written += batch.length - refused.size;
      }
    }
    return { written, duplicates: records.length - unique.size, rejected, rejectedIds };
  }

  /** Writes one batch and returns the reasons of the records Timestream refused, by index in the batch. */
  async #writeBatch(table: string, batch: readonly TimestreamRecord[], deadline: number): Promise<ReadonlyMap<number, string>> {
    const command = new WriteRecordsCommand(writeRequest(this.#databaseName, table, batch));
    for (let retry = 0; ; retry += 1) {
      try {
        await this.#client.send(command, { abortSignal: AbortSignal.timeout(Math.max(0, deadline - this.#now())) });
        return new Map();
      } catch (error) {
        // The other records of the batch are written; a refused one would be refused again, so none is resent.
        if (error instanceof RejectedRecordsException) return refusedRecords(error, batch.length);
        if (!isTransient(error)) {
          throw new StorageUnavailableError(`Timestream refused the write to ${this.#databaseName}.${table}`, { cause: error });
        }
        const wait = backoffDelay(retry, this.#random);
        if (this.#now() + wait >= deadline) {
          throw new StorageUnavailableError(`Timestream still unavailable for ${this.#databaseName}.${table} after ${retry + 1} attempts`, { cause: error });
        }
        this.#onRetry?.();
        await this.#sleep(wait);
      }
    }
  }
}

function refusedRecords(error: RejectedRecordsException, batchSize: number): Map<number, string> {
  const refused = new Map<number, string>();
  for (const entry of error.RejectedRecords ?? []) {
    const index = entry.RecordIndex;
    // An entry naming no record of this batch cannot be counted against any record.
    if (index === undefined || index < 0 || index >= batchSize) continue;
    refused.set(index, entry.Reason?.trim() || UNEXPLAINED_REASON);
  }
  return refused;
}

function count(counts: Map<string, number>, reason: string): void {
  counts.set(reason, (counts.get(reason) ?? 0) + 1);
}
