import { PROBE_LOOKBACK_MINUTES, PROBE_TOOL } from '../../probe/constants.ts';
import { emptyProbeRecords } from '../../probe/records.ts';
import { checkProbeSessionId } from '../../probe/session-id.ts';
import type { ProbeReader, ProbeRecords } from '../../probe/types.ts';
import { RECORD_KINDS } from '../../records/schema.ts';
import { athenaRows } from './athena-query.ts';
import type { AthenaTarget } from './athena-query.ts';
import { LAKE_PARTITION, quotedLakeView } from './layout.ts';
import { dayOf } from '../../rollup/day.ts';

const DEFAULT_QUERY_BUDGET_MS = 10_000;

/** The probe's count per kind in the lake's view: the last hour, in the partitions that hour touches. */
export function lakeProbeQuery(database: string, sessionId: string, nowMs: number): string {
  checkProbeSessionId(sessionId);
  const fromMs = nowMs - PROBE_LOOKBACK_MINUTES * 60_000;
  return (
    `SELECT measure_name, count(*) AS records FROM ${quotedLakeView(database)} ` +
    `WHERE ${LAKE_PARTITION} BETWEEN '${dayOf(fromMs)}' AND '${dayOf(nowMs)}' AND time_ms > ${fromMs} ` +
    `AND tool = '${PROBE_TOOL}' AND session_id = '${sessionId}' GROUP BY measure_name`
  );
}

/**
 * Reads doctor's probe back from the lake. Firehose delivers when its buffer fills or its interval passes
 * (lib/lake-store.ts), so a probe is readable a minute or two after it was accepted: doctor's --wait covers it.
 */
export class AthenaProbeReader implements ProbeReader {
  readonly #target: AthenaTarget;
  readonly #deadline: (() => number) | undefined;

  constructor(target: AthenaTarget, deadline?: () => number) {
    this.#target = target;
    this.#deadline = deadline;
  }

  async probeRecords(sessionId: string): Promise<ProbeRecords> {
    const now = (this.#target.now ?? Date.now)();
    const rows = await athenaRows(this.#target, lakeProbeQuery(this.#target.database, sessionId, now), this.#deadline?.() ?? now + DEFAULT_QUERY_BUDGET_MS);
    const records = emptyProbeRecords();
    for (const row of rows) {
      const kind = RECORD_KINDS.find((known) => known === row.measure_name);
      if (kind !== undefined) records[kind] += Number(row.records ?? 0);
    }
    return records;
  }
}
