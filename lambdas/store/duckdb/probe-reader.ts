import { PROBE_LOOKBACK_MS, PROBE_TOOL } from '../../probe/constants.ts';
import { emptyProbeRecords } from '../../probe/records.ts';
import type { ProbeReader, ProbeRecords } from '../../probe/types.ts';
import { RECORD_KINDS } from '../../records/schema.ts';
import type { LocalDatabase } from './database.ts';

/** Every kind's count in one statement: the read-back takes the database's one connection once. */
const PROBE_SQL = RECORD_KINDS.map(
  (kind) => `SELECT '${kind}' AS kind, count(*) AS records FROM ${kind} WHERE tool = ? AND session_id = ? AND time_ms > ?`,
).join(' UNION ALL ');

/** Reads doctor's probe back from the local database, over the same lookback window as Timestream. */
export class DuckDbProbeReader implements ProbeReader {
  readonly #database: LocalDatabase;
  readonly #now: () => number;

  constructor(database: LocalDatabase, now: () => number = Date.now) {
    this.#database = database;
    this.#now = now;
  }

  async probeRecords(sessionId: string): Promise<ProbeRecords> {
    const since = this.#now() - PROBE_LOOKBACK_MS;
    const rows = await this.#database.query(PROBE_SQL, RECORD_KINDS.flatMap(() => [PROBE_TOOL, sessionId, since]));
    const records = emptyProbeRecords();
    for (const row of rows) {
      const kind = RECORD_KINDS.find((known) => known === row.kind);
      if (kind !== undefined) records[kind] = Number(row.records);
    }
    return records;
  }
}
