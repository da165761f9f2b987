import type { RecordKind } from '../../records/schema.ts';

/** The Timestream table of each record kind: one `events` table for all of them, or one table each. */
export type TimestreamTableNames = Readonly<Record<RecordKind, string>>;

/**
 * From SEATMETER_TABLE_USAGE / _ACTIVITY / _REQUEST; a kind left unset uses the table named like it. The
 * receiver writes and the rollup reads through this one function, so the two always agree on where a kind is.
 */
export function timestreamTableNamesFrom(env: NodeJS.ProcessEnv): TimestreamTableNames {
  return {
    usage: env.SEATMETER_TABLE_USAGE ?? 'usage',
    activity: env.SEATMETER_TABLE_ACTIVITY ?? 'activity',
    request: env.SEATMETER_TABLE_REQUEST ?? 'request',
  };
}
