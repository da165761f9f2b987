import { PROBE_LOOKBACK_MS, PROBE_TOOL } from '../probe/constants.ts';
import { emptyProbeRecords } from '../probe/records.ts';
import type { ProbeReader, ProbeRecords } from '../probe/types.ts';
import type { CanonicalRecord } from '../records/types.ts';
import type { RecordStore, StoreWriteOutcome } from './types.ts';

/** Keeps records in memory, keyed by id: for tests, benchmarks and one-shot replays. */
export class InMemoryRecordStore implements RecordStore, ProbeReader {
  readonly #records = new Map<string, CanonicalRecord>();
  readonly #now: () => number;

  /** `now` (epoch milliseconds) bounds the probe read-back's lookback window. */
  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  async write(records: readonly CanonicalRecord[]): Promise<StoreWriteOutcome> {
    let written = 0;
    for (const record of records) {
      if (this.#records.has(record.id)) continue;
      this.#records.set(record.id, record);
      written += 1;
    }
    return { written, duplicates: records.length - written, rejected: new Map(), rejectedIds: new Set() };
  }

  async probeRecords(sessionId: string): Promise<ProbeRecords> {
    const since = this.#now() - PROBE_LOOKBACK_MS;
    const records = emptyProbeRecords();
    for (const record of this.#records.values()) {
      if (record.tool === PROBE_TOOL && record.session_id === sessionId && record.time_ms > since) records[record.kind] += 1;
    }
    return records;
  }

  all(): CanonicalRecord[] {
    return [...this.#records.values()];
  }
}
