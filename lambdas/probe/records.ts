import type { ProbeRecords } from './types.ts';

/** A tally to count a session's records into, one kind at a time. */
export function emptyProbeRecords(): Record<keyof ProbeRecords, number> {
  return { usage: 0, activity: 0, request: 0 };
}

export function probeRecordTotal(records: ProbeRecords): number {
  return records.usage + records.activity + records.request;
}
