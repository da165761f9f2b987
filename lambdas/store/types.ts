import type { CanonicalRecord } from '../records/types.ts';

export interface StoreWriteOutcome {
  /** Records newly stored. */
  readonly written: number;
  /** Records whose id was already stored: exact repeats, stored once. */
  readonly duplicates: number;
  /** Records the store refused (Timestream rejects some per record), by reason; every other record is stored. */
  readonly rejected: ReadonlyMap<string, number>;
  /** The ids of the refused records: what was not stored must not count anywhere else either. */
  readonly rejectedIds: ReadonlySet<string>;
}

/**
 * Port for the usage store (Timestream in AWS, the embedded database locally). `write` resolves only once
 * every record it does not report as rejected is durable, and is idempotent by record id; it throws when
 * storage is unavailable, so that nothing is acknowledged that was not stored.
 */
export interface RecordStore {
  write(records: readonly CanonicalRecord[]): Promise<StoreWriteOutcome>;
}
