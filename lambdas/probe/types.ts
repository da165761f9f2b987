import type { RecordKind } from '../records/schema.ts';

/** How many records of each kind a probe session left in the store. */
export type ProbeRecords = Readonly<Record<RecordKind, number>>;

/**
 * Port for reading doctor's probe back from the usage store (Timestream in AWS, the embedded database
 * locally): the records of tool `seatmeter-doctor` in one session, stored within the lookback window.
 * Throws StorageUnavailableError when the store cannot answer now, StorageRefusedError when it never will.
 */
export interface ProbeReader {
  probeRecords(sessionId: string): Promise<ProbeRecords>;
}
