import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import type { PutRecordBatchCommandInput } from '@aws-sdk/client-firehose';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { LAKE_COLUMNS, LAKE_PARTITION } from '../../../lambdas/store/lake/layout.ts';
import { FirehoseRecordStore, PACKED_RECORD_BYTES, packRows } from '../../../lambdas/store/lake/firehose-record-store.ts';
import { StorageUnavailableError } from '../../../lambdas/store/errors.ts';
import { request, usage, usageSeries } from '../../support/records.ts';

const firehose = mockClient(FirehoseClient);
beforeEach(() => firehose.reset());
afterAll(() => firehose.restore());

function store(clock = { now: 0 }, sleeps: number[] = []) {
  return new FirehoseRecordStore({
    client: new FirehoseClient({}),
    streamName: 'seatmeter-lake',
    now: () => clock.now,
    deadline: () => 10_000,
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.now += ms;
    },
  });
}

/** The JSON rows Firehose received, in order. */
function sentRows(): Record<string, unknown>[] {
  return firehose
    .commandCalls(PutRecordBatchCommand)
    .flatMap((call) => (call.args[0].input as PutRecordBatchCommandInput).Records ?? [])
    .flatMap((record) => new TextDecoder().decode(record.Data).split('\n').filter((line) => line !== ''))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('FirehoseRecordStore', () => {
  it('sends each record once as a row of every lake column and its day, packed into records under 5 KB', async () => {
    firehose.on(PutRecordBatchCommand).callsFake((input: PutRecordBatchCommandInput) => ({ FailedPutCount: 0, RequestResponses: (input.Records ?? []).map(() => ({ RecordId: 'r' })) }));
    const records = [...usageSeries(40), request({ id: 'req-1' }), usage({ id: 'usage-0' })];
    expect(await store().write(records)).toEqual({ written: 41, duplicates: 1, rejected: new Map(), rejectedIds: new Set() });
    const rows = sentRows();
    expect(rows.map((row) => row.record_id)).toEqual([...Array.from({ length: 40 }, (_, index) => `usage-${index}`), 'req-1']);
    expect(Object.keys(rows[0] ?? {})).toEqual([...LAKE_COLUMNS.map((column) => column.name), LAKE_PARTITION]);
    expect(rows[0]).toMatchObject({ measure_name: 'usage', dt: '2026-11-22', model: 'claude-opus-4-8', metric: null });
    const sizes = firehose.commandCalls(PutRecordBatchCommand).flatMap((call) => (call.args[0].input.Records ?? []).map((record) => record.Data?.byteLength ?? 0));
    expect(sizes.length).toBeLessThan(records.length / 4);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(PACKED_RECORD_BYTES);
  });

  it('sends again only the records Firehose refused, and answers once they are in', async () => {
    let call = 0;
    firehose.on(PutRecordBatchCommand).callsFake((input: PutRecordBatchCommandInput) => {
      call += 1;
      const records = input.Records ?? [];
      // The first call refuses its second record; the retry takes it.
      return { FailedPutCount: call === 1 ? 1 : 0, RequestResponses: records.map((_, index) => (call === 1 && index === 1 ? { ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'Slow down.' } : { RecordId: `r${index}` })) };
    });
    const sleeps: number[] = [];
    await store({ now: 0 }, sleeps).write(usageSeries(60));
    const counts = firehose.commandCalls(PutRecordBatchCommand).map((entry) => entry.args[0].input.Records?.length);
    expect(counts[1]).toBe(1);
    expect(sleeps).toHaveLength(1);
    expect(new Set(sentRows().map((row) => row.record_id)).size).toBe(60);
  });

  it('throws StorageUnavailableError (the receiver answers 503) when records are still refused at the deadline', async () => {
    firehose.on(PutRecordBatchCommand).resolves({ FailedPutCount: 1, RequestResponses: [{ ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'Slow down.' }] });
    const write = store().write([usage()]);
    await expect(write).rejects.toThrow(StorageUnavailableError);
    await expect(store().write([usage()])).rejects.toThrow(/still refusing after \d+ attempts: 1 of 1 records refused \(ServiceUnavailableException: Slow down\.\)/);
  });

  it('fails at once on what no retry fixes, naming the stream', async () => {
    firehose.on(PutRecordBatchCommand).rejects(Object.assign(new Error('not found'), { name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 400 } }));
    await expect(store().write([usage()])).rejects.toThrow('Firehose refused the batch to seatmeter-lake');
    expect(firehose.commandCalls(PutRecordBatchCommand)).toHaveLength(1);
  });

  it('sends the same rows for the same export twice: the record id is what the lake dedupes on', async () => {
    firehose.on(PutRecordBatchCommand).callsFake((input: PutRecordBatchCommandInput) => ({ FailedPutCount: 0, RequestResponses: (input.Records ?? []).map(() => ({ RecordId: 'r' })) }));
    await store().write(usageSeries(3));
    await store().write(usageSeries(3));
    const ids = sentRows().map((row) => row.record_id);
    expect(ids.slice(0, 3)).toEqual(ids.slice(3));
  });

  it('packs a row bigger than a record alone', () => {
    const big = 'x'.repeat(PACKED_RECORD_BYTES + 10);
    expect(packRows(['a', big, 'b']).map((record) => record.byteLength)).toEqual([2, big.length + 1, 2]);
  });
});
