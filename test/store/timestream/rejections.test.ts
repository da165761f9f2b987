import { RejectedRecordsException, WriteRecordsCommand } from '@aws-sdk/client-timestream-write';
import { afterEach, describe, expect, it } from 'vitest';
import { FUTURE_SAFETY_MARGIN_MS, FUTURE_WINDOW_MS } from '../../../lambdas/store/timestream/limits.ts';
import { FUTURE_TIME_REASON, RECORD_TOO_LARGE_REASON, UNEXPLAINED_REASON } from '../../../lambdas/store/timestream/record-store.ts';
import { START, harness, sentRequests, timestream } from './harness.ts';
import { request, usage, usageSeries } from '../../support/records.ts';

afterEach(() => {
  timestream.reset();
});

const sentIds = () => sentRequests().flatMap((input) => input.Records?.map((record) => record.Dimensions?.[0]?.Value) ?? []);

function rejection(records: readonly { readonly RecordIndex?: number; readonly Reason?: string }[]): RejectedRecordsException {
  return new RejectedRecordsException({
    message: 'One or more records have been rejected. See RejectedRecords for details.',
    $metadata: { httpStatusCode: 419 },
    RejectedRecords: [...records],
  });
}

describe('TimestreamRecordStore rejections', () => {
  it('refuses records more than 15 minutes ahead without sending them, and sends late ones as they are', async () => {
    timestream.on(WriteRecordsCommand).resolves({});
    const { store } = harness();
    const edge = START + FUTURE_WINDOW_MS - FUTURE_SAFETY_MARGIN_MS;

    const outcome = await store.write([
      usage({ id: 'at-edge', time_ms: edge }),
      usage({ id: 'past-edge', time_ms: edge + 1 }),
      request({ id: 'next-year', time_ms: START + 365 * 86_400_000 }),
      usage({ id: 'last-year', time_ms: START - 365 * 86_400_000 }),
    ]);

    expect(outcome).toEqual({ written: 2, duplicates: 0, rejected: new Map([[FUTURE_TIME_REASON, 2]]), rejectedIds: new Set(['past-edge', 'next-year']) });
    expect(sentIds()).toEqual(['at-edge', 'last-year']);
    expect(sentRequests().map((input) => input.TableName)).toEqual(['usage']);
  });

  it('refuses a record over 2 KB without sending it, so that it cannot fail its batch', async () => {
    timestream.on(WriteRecordsCommand).resolves({});
    const { store } = harness();

    const outcome = await store.write([request({ id: 'huge', error: 'x'.repeat(2000) }), request({ id: 'fine', error: 'overloaded' })]);

    expect(outcome).toEqual({ written: 1, duplicates: 0, rejected: new Map([[RECORD_TOO_LARGE_REASON, 1]]), rejectedIds: new Set(['huge']) });
    expect(sentIds()).toEqual(['fine']);
  });

  it('counts the records Timestream rejects by reason, counts the rest of the batch written, and resends none', async () => {
    const conflict = 'A record already exists with the same time, dimensions, measure name, and record version.';
    timestream
      .on(WriteRecordsCommand)
      .rejectsOnce(
        rejection([
          { RecordIndex: 1, Reason: ` ${conflict}\n` },
          { RecordIndex: 3, Reason: conflict },
          { RecordIndex: 7, Reason: 'The record timestamp is outside the time range of the data ingestion window.' },
          { RecordIndex: 8 },
        ]),
      )
      .resolves({});
    const { store, sleeps } = harness();

    const outcome = await store.write(usageSeries(150));

    expect(outcome).toEqual({
      written: 146,
      duplicates: 0,
      rejected: new Map([
        [conflict, 2],
        ['The record timestamp is outside the time range of the data ingestion window.', 1],
        [UNEXPLAINED_REASON, 1],
      ]),
      rejectedIds: new Set(['usage-1', 'usage-3', 'usage-7', 'usage-8']),
    });
    expect(sentRequests().map((input) => input.Records?.length)).toEqual([100, 50]);
    expect(sleeps).toEqual([]);
  });

  it('counts a record named twice in one rejection once, and ignores an entry naming no record of the batch', async () => {
    timestream.on(WriteRecordsCommand).rejects(
      rejection([
        { RecordIndex: 0, Reason: 'first' },
        { RecordIndex: 0, Reason: 'first' },
        { RecordIndex: 5, Reason: 'beyond the batch' },
      ]),
    );
    const { store } = harness();

    expect(await store.write(usageSeries(2))).toEqual({ written: 1, duplicates: 0, rejected: new Map([['first', 1]]), rejectedIds: new Set(['usage-0']) });
  });
});
