import { PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import type { FirehoseClient } from '@aws-sdk/client-firehose';
import { setTimeout as delay } from 'node:timers/promises';
import type { CanonicalRecord } from '../../records/types.ts';
import { StorageUnavailableError } from '../errors.ts';
import { backoffDelay, isTransient } from '../timestream/retry.ts';
import type { RecordStore, StoreWriteOutcome } from '../types.ts';
import { lakeRow } from './layout.ts';

export interface FirehoseRecordStoreOptions {
  readonly client: FirehoseClient;
  readonly streamName: string;
  /** Epoch ms by which the write must be done (the receiver answers 503 before its own timeout). */
  readonly deadline?: () => number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly onRetry?: () => void;
}

/** Firehose bills each record rounded up to 5 KB: rows are packed into records of up to this many bytes. */
export const PACKED_RECORD_BYTES = 5_000;
/** PutRecordBatch takes at most 500 records and 4 MiB. */
const BATCH_RECORDS = 500;
const BATCH_BYTES = 4 * 1024 * 1024;
const DEFAULT_WRITE_BUDGET_MS = 10_000;

/**
 * `items` in order, in groups of at most `maxBytes` (by `sizeOf`) and `maxCount` items; an item bigger than
 * `maxBytes` forms a group of its own.
 */
function groupBySize<T>(items: readonly T[], sizeOf: (item: T) => number, maxBytes: number, maxCount = Number.POSITIVE_INFINITY): T[][] {
  const groups: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = sizeOf(item);
    if (current.length > 0 && (current.length === maxCount || bytes + size > maxBytes)) {
      groups.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/** Rows as newline-delimited JSON, packed into Firehose records of at most PACKED_RECORD_BYTES (a bigger row alone). */
export function packRows(rows: readonly string[]): Uint8Array[] {
  const lines = rows.map((row) => `${row}\n`);
  return groupBySize(lines, (line) => Buffer.byteLength(line), PACKED_RECORD_BYTES).map((group) => new TextEncoder().encode(group.join('')));
}

const batches = (records: readonly Uint8Array[]): Uint8Array[][] => groupBySize(records, (record) => record.byteLength, BATCH_BYTES, BATCH_RECORDS);

/**
 * The lake's writer: canonical records as JSON rows to Amazon Data Firehose, which deaggregates them, partitions
 * them by `dt` and converts them to Parquet (lib/lake-store.ts). PutRecordBatch fails per record: the failed
 * ones are sent again with backoff until the deadline, and if any is still refused the write throws
 * StorageUnavailableError, so the receiver answers 503 and the client retries — never 200 for a record that
 * was not accepted. Firehose cannot tell a repeat from a new record; the lake's view counts each id once.
 */
export class FirehoseRecordStore implements RecordStore {
  readonly #options: FirehoseRecordStoreOptions;
  readonly #now: () => number;

  constructor(options: FirehoseRecordStoreOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  async write(records: readonly CanonicalRecord[]): Promise<StoreWriteOutcome> {
    const deadline = this.#options.deadline?.() ?? this.#now() + DEFAULT_WRITE_BUDGET_MS;
    const unique = new Map<string, CanonicalRecord>();
    for (const record of records) if (!unique.has(record.id)) unique.set(record.id, record);
    const packed = packRows([...unique.values()].map((record) => JSON.stringify(lakeRow(record))));
    for (const batch of batches(packed)) await this.#put(batch, deadline);
    return { written: unique.size, duplicates: records.length - unique.size, rejected: new Map(), rejectedIds: new Set() };
  }

  async #put(batch: readonly Uint8Array[], deadline: number): Promise<void> {
    const sleep = this.#options.sleep ?? ((ms: number) => delay(ms));
    const random = this.#options.random ?? Math.random;
    let pending = [...batch];
    for (let attempt = 0; ; attempt += 1) {
      let failed: Uint8Array[];
      let reason: string;
      try {
        const response = await this.#options.client.send(
          new PutRecordBatchCommand({ DeliveryStreamName: this.#options.streamName, Records: pending.map((data) => ({ Data: data })) }),
          { abortSignal: AbortSignal.timeout(Math.max(0, deadline - this.#now())) },
        );
        const results = response.RequestResponses ?? [];
        failed = pending.filter((_, index) => results[index]?.ErrorCode !== undefined);
        if (failed.length === 0) return;
        const first = results.find((result) => result.ErrorCode !== undefined);
        reason = `${failed.length} of ${pending.length} records refused (${first?.ErrorCode ?? ''}: ${first?.ErrorMessage ?? ''})`;
      } catch (error) {
        if (!isTransient(error)) throw new StorageUnavailableError(`Firehose refused the batch to ${this.#options.streamName}`, { cause: error });
        failed = pending;
        reason = error instanceof Error ? error.name : String(error);
      }
      const wait = backoffDelay(attempt, random);
      if (this.#now() + wait >= deadline) throw new StorageUnavailableError(`Firehose stream ${this.#options.streamName} still refusing after ${attempt + 1} attempts: ${reason}`);
      this.#options.onRetry?.();
      await sleep(wait);
      pending = failed;
    }
  }
}
