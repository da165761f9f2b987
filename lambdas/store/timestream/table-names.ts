import type { RecordKind } from '../../records/schema.ts';

/** The Timestream table of each record kind: one `events` table for all of them, or one table each. */
export type TimestreamTableNames = Readonly<Record<RecordKind, string>>;

/**
 * By default all kinds share one table, telling kinds apart by measure name: an export then makes one
 * WriteRecords request instead of one per kind, and Timestream meters writes per request in whole KiB, so a
 * typical export costs one write unit instead of two or three.
 */
export const DEFAULT_TABLE = 'events';

export class TimestreamTableNameError extends Error {
  override readonly name = 'TimestreamTableNameError';
}

/**
 * From SEATMETER_TABLE_USAGE / _ACTIVITY / _REQUEST, each `events` when unset. The receiver writes, and the
 * rollup, replay and doctor read, through this one function, so they always agree on where a kind is.
 */
export function timestreamTableNamesFrom(env: NodeJS.ProcessEnv): TimestreamTableNames {
  const table = (name: string): string => {
    const value = env[name];
    if (value === undefined) return DEFAULT_TABLE;
    // An empty name would fail every write later, with Timestream's less clear error.
    if (value.trim() === '') throw new TimestreamTableNameError(`${name} is empty: unset it for the default table "${DEFAULT_TABLE}", or name a table`);
    return value.trim();
  };
  return { usage: table('SEATMETER_TABLE_USAGE'), activity: table('SEATMETER_TABLE_ACTIVITY'), request: table('SEATMETER_TABLE_REQUEST') };
}
