import { QueryCommand, TimestreamQueryClient } from '@aws-sdk/client-timestream-query';
import type { QueryRequest } from '@aws-sdk/client-timestream-query';
import { TimestreamWriteClient, WriteRecordsCommand } from '@aws-sdk/client-timestream-write';
import type { WriteRecordsRequest } from '@aws-sdk/client-timestream-write';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { ProbeSessionIdError } from '../../../lambdas/probe/errors.ts';
import { StorageRefusedError, StorageUnavailableError } from '../../../lambdas/store/errors.ts';
import { TimestreamProbeReader } from '../../../lambdas/store/timestream/probe-reader.ts';
import type { TimestreamTarget } from '../../../lambdas/store/timestream/types.ts';
import { TimestreamRecordStore } from '../../../lambdas/store/timestream/record-store.ts';
import { answerProbeQuery, storedRows } from '../../support/timestream-tables.ts';
import { START } from './harness.ts';
import { activity, request, usage } from '../../support/records.ts';

const query = mockClient(TimestreamQueryClient);
const write = mockClient(TimestreamWriteClient);
afterEach(() => {
  query.reset();
  write.reset();
});

const SESSION = 'doctor-0b9a1c1e-5d7e-4c2f-9a51-2f0b8e6c4d3a';
const ONE_TABLE = { usage: 'events', activity: 'events', request: 'events' };

function reader(options: Partial<Omit<TimestreamTarget<TimestreamQueryClient>, 'client'>> = {}): TimestreamProbeReader {
  return new TimestreamProbeReader({ client: new TimestreamQueryClient({ region: 'eu-west-1' }), databaseName: 'seatmeter', now: () => START, ...options });
}

function sentQueries(): QueryRequest[] {
  return query.commandCalls(QueryCommand).map((call) => call.args[0].input);
}

function page(rows: readonly (readonly [string, number])[], nextToken?: string) {
  return {
    QueryId: 'q-1',
    ColumnInfo: [],
    Rows: rows.map(([kind, count]) => ({ Data: [{ ScalarValue: kind }, { ScalarValue: String(count) }] })),
    ...(nextToken === undefined ? {} : { NextToken: nextToken }),
  };
}

const where = `WHERE time > ago(60m) AND measure_name IN`;
const probe = `AND tool = 'seatmeter-doctor' AND session_id = '${SESSION}' GROUP BY measure_name`;

describe('TimestreamProbeReader', () => {
  it('asks the one-table layout once, for every kind by measure name, over the last hour', async () => {
    query.on(QueryCommand).resolves(page([['usage', 1]]));
    expect(await reader({ tableNames: ONE_TABLE }).probeRecords(SESSION)).toEqual({ usage: 1, activity: 0, request: 0 });
    expect(sentQueries()).toEqual([
      { QueryString: `SELECT measure_name, count(*) AS records FROM "seatmeter"."events" ${where} ('usage', 'activity', 'request') ${probe}` },
    ]);
  });

  it('asks each distinct table once when the kinds are split, and adds up what each holds', async () => {
    query.on(QueryCommand).callsFake((input: QueryRequest) => (input.QueryString?.includes('"requests"') === true ? page([['request', 2]]) : page([['usage', 1], ['activity', 3]])));
    const records = await reader({ tableNames: { usage: 'events', activity: 'events', request: 'requests' } }).probeRecords(SESSION);
    expect(records).toEqual({ usage: 1, activity: 3, request: 2 });
    expect(sentQueries().map((q) => q.QueryString)).toEqual([
      `SELECT measure_name, count(*) AS records FROM "seatmeter"."events" ${where} ('usage', 'activity') ${probe}`,
      `SELECT measure_name, count(*) AS records FROM "seatmeter"."requests" ${where} ('request') ${probe}`,
    ]);
  });

  it('reads the tables named like the kinds when none are configured, quoting names as identifiers', async () => {
    query.on(QueryCommand).resolves(page([]));
    expect(await reader({ databaseName: 'team "a"' }).probeRecords(SESSION)).toEqual({ usage: 0, activity: 0, request: 0 });
    expect(sentQueries().map((q) => q.QueryString?.split(' WHERE ')[0])).toEqual([
      'SELECT measure_name, count(*) AS records FROM "team ""a"""."usage"',
      'SELECT measure_name, count(*) AS records FROM "team ""a"""."activity"',
      'SELECT measure_name, count(*) AS records FROM "team ""a"""."request"',
    ]);
  });

  it('follows NextToken through empty pages to the last one', async () => {
    query
      .on(QueryCommand)
      .resolvesOnce(page([['usage', 1]], 'token-1'))
      .resolvesOnce(page([], 'token-2'))
      .resolvesOnce(page([['activity', 2]]));
    expect(await reader({ tableNames: ONE_TABLE }).probeRecords(SESSION)).toEqual({ usage: 1, activity: 2, request: 0 });
    expect(sentQueries().map((q) => q.NextToken)).toEqual([undefined, 'token-1', 'token-2']);
    expect(new Set(sentQueries().map((q) => q.QueryString)).size).toBe(1);
  });

  it('counts no measure name the table was not asked about', async () => {
    query.on(QueryCommand).resolves(page([['usage', 1], ['rollup', 7]]));
    expect(await reader({ tableNames: { usage: 'usage', activity: 'events', request: 'events' } }).probeRecords(SESSION)).toEqual({ usage: 1, activity: 0, request: 0 });
  });

  it.each([
    ['a quote that would end the literal', "x' OR '1'='1"],
    ['an empty id', ''],
    ['65 characters', 'a'.repeat(65)],
    ['a slash', 'doctor/1'],
    ['a percent-encoded quote', 'x%27'],
    ['non-ASCII letters', 'doctör-1'],
  ])('refuses %s before any query is sent', async (_name, sessionId) => {
    await expect(reader().probeRecords(sessionId)).rejects.toBeInstanceOf(ProbeSessionIdError);
    expect(sentQueries()).toEqual([]);
  });

  it('accepts an id of exactly 64 characters', async () => {
    query.on(QueryCommand).resolves(page([]));
    await expect(reader({ tableNames: ONE_TABLE }).probeRecords('A-z0'.repeat(16))).resolves.toEqual({ usage: 0, activity: 0, request: 0 });
  });

  it('turns throttling and a timeout into "unavailable", so the route answers 503', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
    query.on(QueryCommand).rejectsOnce(throttled).rejectsOnce(Object.assign(new Error('aborted'), { name: 'TimeoutError' }));
    const probes = reader({ tableNames: ONE_TABLE });
    await expect(probes.probeRecords(SESSION)).rejects.toThrow(new StorageUnavailableError('Timestream could not answer the probe query on seatmeter.events (ThrottlingException)'));
    await expect(probes.probeRecords(SESSION)).rejects.toBeInstanceOf(StorageUnavailableError);
  });

  it('turns denied access into "refused", naming the error so the operator knows what to fix', async () => {
    query.on(QueryCommand).rejects(Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } }));
    const failure = reader({ tableNames: ONE_TABLE }).probeRecords(SESSION);
    await expect(failure).rejects.toBeInstanceOf(StorageRefusedError);
    await expect(failure).rejects.toThrow('Timestream refused the probe query on seatmeter.events (AccessDeniedException)');
  });

  it('stops paging at the deadline: the route answers 503 rather than Lambda timing out', async () => {
    let clock = START;
    query.on(QueryCommand).callsFake(() => {
      clock += 1_000;
      return page([['usage', 1]], 'more');
    });
    const failure = reader({ tableNames: ONE_TABLE, now: () => clock, deadline: () => START + 2_500 }).probeRecords(SESSION);
    await expect(failure).rejects.toThrow(new StorageUnavailableError('no time left for the probe query on seatmeter.events'));
    expect(sentQueries()).toHaveLength(3);
  });

  it('finds what a TimestreamRecordStore wrote for the session, and nothing of other sessions or tools', async () => {
    const requests: WriteRecordsRequest[] = [];
    write.on(WriteRecordsCommand).callsFake((input: WriteRecordsRequest) => {
      requests.push(input);
      return {};
    });
    const store = new TimestreamRecordStore({ client: new TimestreamWriteClient({ region: 'eu-west-1' }), databaseName: 'seatmeter', tableNames: ONE_TABLE, now: () => START });
    const doctor = { tool: 'seatmeter-doctor', session_id: SESSION };
    await store.write([
      usage({ id: 'u1', ...doctor }),
      activity({ id: 'a1', ...doctor }),
      request({ id: 'r1', ...doctor }),
      request({ id: 'r2', ...doctor }),
      usage({ id: 'u2', tool: 'seatmeter-doctor', session_id: 'doctor-other' }),
      usage({ id: 'u3', session_id: SESSION }),
    ]);
    query.on(QueryCommand).callsFake((input: QueryRequest) => answerProbeQuery(input.QueryString ?? '', 'seatmeter', storedRows(requests), START));
    expect(await reader({ tableNames: ONE_TABLE }).probeRecords(SESSION)).toEqual({ usage: 1, activity: 1, request: 2 });
  });
});
