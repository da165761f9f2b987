import type { CanonicalRecord } from '../records/types.ts';

export interface StoreWriteOutcome {
  /** Records newly stored. */
  readonly written: number;
  /** Records whose id was already stored: exact repeats, stored once. */
  readonly duplicates: number;
}

/**
 * Port for the usage store (Timestream in AWS, the embedded database locally). `write` resolves only once
 * every record is durable, and is idempotent by record id; it throws when storage is unavailable.
 */
export interface RecordStore {
  write(records: readonly CanonicalRecord[]): Promise<StoreWriteOutcome>;
}
