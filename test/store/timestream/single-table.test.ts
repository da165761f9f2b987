import { TimestreamWriteClient, WriteRecordsCommand } from '@aws-sdk/client-timestream-write';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingestOtlp } from '../../../lambdas/ingest/ingest.ts';
import { PriceBook } from '../../../lambdas/pricing/price-book.ts';
import { TimestreamRecordStore } from '../../../lambdas/store/timestream/record-store.ts';
import { recordBytes } from '../../../lambdas/store/timestream/record-size.ts';
import type { TimestreamRecord } from '../../../lambdas/store/timestream/record.ts';
import { InMemorySeriesStateStore } from '../../../lambdas/temporality/series-state.ts';
import { loadCapture } from '../../support/captures.ts';
import { sentRequests, timestream } from './harness.ts';

beforeEach(() => {
  timestream.on(WriteRecordsCommand).resolves({});
});
afterEach(() => timestream.reset());

describe('one Timestream table for every record kind', () => {
  it('writes a whole export in one WriteRecords request of under 1 KiB, each kind told apart by its measure name', async () => {
    const capture = loadCapture('codex/codex-binary/003-v1_logs');
    const store = new TimestreamRecordStore({
      client: new TimestreamWriteClient({ region: 'eu-west-1' }),
      databaseName: 'seatmeter',
      tableNames: { usage: 'events', activity: 'events', request: 'events' },
      // The capture's own day, so no record is held back as being in the future.
      now: () => Date.parse('2026-11-22T12:00:00Z'),
    });
    await ingestOtlp(capture, { store, state: new InMemorySeriesStateStore(), pricer: new PriceBook({ version: 'test', models: [] }) });
    const [request, ...more] = sentRequests();
    expect(more).toEqual([]);
    expect(request?.TableName).toBe('events');
    expect(new Set((request?.Records ?? []).map((record) => record.MeasureName))).toEqual(new Set(['usage', 'activity', 'request']));
    const bytes = (request?.Records ?? []).reduce((sum, record) => sum + recordBytes(record as TimestreamRecord), 0);
    expect(bytes).toBeLessThan(1024);
  });
});
