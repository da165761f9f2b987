import { describe, expect, it } from 'vitest';
import type { ProbeReader } from '../../lambdas/probe/types.ts';
import type { CanonicalRecord } from '../../lambdas/records/types.ts';
import { LocalDatabase } from '../../lambdas/store/duckdb/database.ts';
import { DuckDbProbeReader } from '../../lambdas/store/duckdb/probe-reader.ts';
import { openRecordStore } from '../support/record-store.ts';
import { InMemoryRecordStore } from '../../lambdas/store/memory.ts';
import { RECORD_TIME, activity, request, usage } from '../support/records.ts';

const NOW = RECORD_TIME + 5 * 60_000;
const SESSION = 'doctor-1';
const DOCTOR = { tool: 'seatmeter-doctor', session_id: SESSION };

/** The same records in each local store: the read-back must count them alike. */
const stores: readonly (readonly [string, (records: readonly CanonicalRecord[]) => Promise<ProbeReader>])[] = [
  [
    'DuckDbProbeReader',
    async (records) => {
      const database = await LocalDatabase.inMemory();
      await (await openRecordStore(database)).write(records);
      return new DuckDbProbeReader(database, () => NOW);
    },
  ],
  [
    'InMemoryRecordStore',
    async (records) => {
      const store = new InMemoryRecordStore(() => NOW);
      await store.write(records);
      return store;
    },
  ],
];

describe.each(stores)('%s reads the probe back', (_name, storeWith) => {
  it('counts the session’s records of tool seatmeter-doctor per kind, and nothing else', async () => {
    const probes = await storeWith([
      usage({ id: 'u1', ...DOCTOR }),
      activity({ id: 'a1', ...DOCTOR }),
      activity({ id: 'a2', ...DOCTOR }),
      usage({ id: 'u2', tool: 'seatmeter-doctor', session_id: 'doctor-2' }),
      usage({ id: 'u3', session_id: SESSION }),
      request({ id: 'r1', ...DOCTOR, time_ms: NOW - 60 * 60_000 }),
    ]);
    expect(await probes.probeRecords(SESSION)).toEqual({ usage: 1, activity: 2, request: 0 });
  });

  it('finds nothing for a session it never stored, however the id is spelt', async () => {
    const probes = await storeWith([usage({ id: 'u1', ...DOCTOR })]);
    expect(await probes.probeRecords("doctor-1' OR '1'='1")).toEqual({ usage: 0, activity: 0, request: 0 });
  });
});
