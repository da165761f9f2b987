import { AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { StorageRefusedError, StorageUnavailableError } from '../../../lambdas/store/errors.ts';
import { athenaRows } from '../../../lambdas/store/lake/athena-query.ts';
import { AthenaProbeReader, lakeProbeQuery } from '../../../lambdas/store/lake/probe-reader.ts';

const athena = mockClient(AthenaClient);
beforeEach(() => athena.reset());
afterAll(() => athena.restore());

const clock = { now: 0 };
const target = () => ({ client: new AthenaClient({}), workGroup: 'seatmeter', database: 'seatmeter_lake', now: () => clock.now, sleep: async (ms: number) => void (clock.now += ms) });
const header = { Data: [{ VarCharValue: 'measure_name' }, { VarCharValue: 'records' }] };
const metadata = { ColumnInfo: [{ Name: 'measure_name', Type: 'varchar' }, { Name: 'records', Type: 'bigint' }] };

describe('athenaRows', () => {
  it('starts the query in the workgroup, polls until it succeeds, and reads every page, skipping the header once', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q1' });
    athena.on(GetQueryExecutionCommand).resolvesOnce({ QueryExecution: { Status: { State: 'QUEUED' } } }).resolvesOnce({ QueryExecution: { Status: { State: 'RUNNING' } } }).resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' } } });
    athena
      .on(GetQueryResultsCommand)
      .resolvesOnce({ ResultSet: { ResultSetMetadata: metadata, Rows: [header, { Data: [{ VarCharValue: 'usage' }, { VarCharValue: '3' }] }] }, NextToken: 't' })
      .resolves({ ResultSet: { ResultSetMetadata: metadata, Rows: [{ Data: [{ VarCharValue: 'request' }, {}] }] } });
    clock.now = 0;
    expect(await athenaRows(target(), 'SELECT 1', 10_000)).toEqual([
      { measure_name: 'usage', records: 3 },
      { measure_name: 'request', records: null },
    ]);
    expect(athena.commandCalls(StartQueryExecutionCommand)[0]?.args[0].input).toEqual({ QueryString: 'SELECT 1', WorkGroup: 'seatmeter', QueryExecutionContext: { Database: 'seatmeter_lake' } });
    expect(athena.commandCalls(GetQueryResultsCommand).map((call) => call.args[0].input.NextToken)).toEqual([undefined, 't']);
  });

  it('refuses with Athena\'s reason when the query fails, and gives up at the deadline while it runs', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q2' });
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'FAILED', StateChangeReason: 'Query exhausted resources at this scale factor' } } });
    await expect(athenaRows(target(), 'SELECT 1', 10_000)).rejects.toThrow(new StorageRefusedError('Athena query q2 failed: Query exhausted resources at this scale factor'));
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'RUNNING' } } });
    clock.now = 0;
    await expect(athenaRows(target(), 'SELECT 1', 1_000)).rejects.toThrow(StorageUnavailableError);
  });
});

describe('AthenaProbeReader', () => {
  it('counts the probe session\'s records per kind in the last hour\'s partitions', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q3' });
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' } } });
    athena.on(GetQueryResultsCommand).resolves({ ResultSet: { ResultSetMetadata: metadata, Rows: [header, { Data: [{ VarCharValue: 'usage' }, { VarCharValue: '1' }] }] } });
    clock.now = Date.parse('2026-12-07T00:30:00Z');
    const session = 'doctor-0b7c8f2e-2d1a-4c57-9c43-6f0e1c2b3a4d';
    expect(await new AthenaProbeReader(target()).probeRecords(session)).toEqual({ usage: 1, activity: 0, request: 0 });
    const sql = athena.commandCalls(StartQueryExecutionCommand)[0]?.args[0].input.QueryString ?? '';
    expect(sql).toBe(lakeProbeQuery('seatmeter_lake', session, clock.now));
    expect(sql).toContain("dt BETWEEN '2026-12-06' AND '2026-12-07'");
    expect(() => lakeProbeQuery('seatmeter_lake', "x' OR 1=1 --", clock.now)).toThrow();
  });
});
