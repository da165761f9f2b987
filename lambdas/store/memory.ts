import type { CanonicalRecord } from '../records/types.ts';
import type { RecordStore, StoreWriteOutcome } from './types.ts';

/** Keeps records in memory, keyed by id: for tests, benchmarks and one-shot replays. */
export class InMemoryRecordStore implements RecordStore {
  readonly #records = new Map<string, CanonicalRecord>();

  async write(records: readonly CanonicalRecord[]): Promise<StoreWriteOutcome> {
    let written = 0;
    for (const record of records) {
      if (this.#records.has(record.id)) continue;
      this.#records.set(record.id, record);
      written += 1;
    }
    return { written, duplicates: records.length - written, rejected: new Map() };
  }

  all(): CanonicalRecord[] {
    return [...this.#records.values()];
  }
}
