import { PROBE_LOOKBACK_MS, PROBE_TOOL } from '../probe/constants.ts';
import { emptyProbeRecords } from '../probe/records.ts';
import type { ProbeReader, ProbeRecords } from '../probe/types.ts';
import { IMPORT_ID_PREFIX, dayStart, sessionKey, sliceKey } from '../import/coverage.ts';
import type { CoverageQuery, SeenByTelemetry, TelemetryCoverage } from '../import/coverage.ts';
import type { CanonicalRecord } from '../records/types.ts';
import type { RecordStore, StoreWriteOutcome } from './types.ts';

/** Keeps records in memory, keyed by id: for tests, benchmarks and one-shot replays. */
export class InMemoryRecordStore implements RecordStore, ProbeReader, TelemetryCoverage {
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

  async seen(query: CoverageQuery): Promise<SeenByTelemetry> {
    const sessions = new Set<string>();
    const requestIds = new Set<string>();
    const slices = new Set<string>();
    const askedUsers = new Set(query.slices.map((slice) => `${slice.tool}\u0001${slice.user_email}`));
    for (const record of this.#records.values()) {
      if (record.id.startsWith(IMPORT_ID_PREFIX) || record.time_ms < query.fromMs || record.time_ms >= query.toMs) continue;
      const tool = (query.sessions as ReadonlyMap<string, readonly string[]>).get(record.tool);
      if (record.session_id !== null && tool?.includes(record.session_id) === true) sessions.add(sessionKey(record.tool, record.session_id));
      if (record.kind === 'request' && record.tool === 'claude_code' && record.request_id !== null && query.requestIds.includes(record.request_id)) requestIds.add(record.request_id);
      if (record.kind === 'usage' && record.user_email !== null && askedUsers.has(`${record.tool}\u0001${record.user_email}`)) slices.add(sliceKey(record.tool, record.user_email, dayStart(record.time_ms)));
    }
    return { sessions, requestIds, slices };
  }

  all(): CanonicalRecord[] {
    return [...this.#records.values()];
  }
}
