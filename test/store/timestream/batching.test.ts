import { WriteRecordsCommand } from '@aws-sdk/client-timestream-write';
import type { _Record } from '@aws-sdk/client-timestream-write';
import { afterEach, describe, expect, it } from 'vitest';
import type { CanonicalRecord } from '../../../lambdas/records/types.ts';
import { harness, sentRequests, timestream } from './harness.ts';
import { RECORD_TIME, activity, request, usage, usageSeries } from '../../support/records.ts';

afterEach(() => {
  timestream.reset();
});

/** Usage, request and activity records interleaved: 250, 120 and 3 of them. */
function mixed(): CanonicalRecord[] {
  const usages = usageSeries(250);
  return usages.flatMap((record, index) => [
    record,
    ...(index < 120 ? [request({ id: `request-${index}`, time_ms: record.time_ms })] : []),
    ...(index < 3 ? [activity({ id: `activity-${index}`, time_ms: record.time_ms })] : []),
  ]);
}

/** A sent record with the request's common dimensions merged back: what Timestream stores. */
function stored(common: _Record | undefined, record: _Record) {
  const dimensions = [...(common?.Dimensions ?? []), ...(record.Dimensions ?? [])].map((d) => `${d.Name}=${d.Value}`).sort();
  return { series: JSON.stringify([dimensions, record.MeasureName, record.Time]), measures: record.MeasureValues };
}

describe('TimestreamRecordStore batching', () => {
  it('groups records by table and writes at most 100 per request, in the order they came', async () => {
    timestream.on(WriteRecordsCommand).resolves({});
    const { store } = harness();

    const outcome = await store.write(mixed());

    expect(outcome).toEqual({ written: 373, duplicates: 0, rejected: new Map(), rejectedIds: new Set() });
    const requests = sentRequests();
    expect(requests.map((input) => [input.TableName, input.Records?.length])).toEqual([
      ['usage', 100],
      ['usage', 100],
      ['usage', 50],
      ['request', 100],
      ['request', 20],
      ['activity', 3],
    ]);
    const ids = (table: string) =>
      requests.filter((input) => input.TableName === table).flatMap((input) => input.Records?.map((record) => record.Dimensions?.[0]?.Value) ?? []);
    expect(ids('usage')).toEqual(Array.from({ length: 250 }, (_, index) => `usage-${index}`));
    expect(ids('request')).toEqual(Array.from({ length: 120 }, (_, index) => `request-${index}`));
  });

  it('moves the dimensions every record of a batch shares into CommonAttributes, and out of the records', async () => {
    timestream.on(WriteRecordsCommand).resolves({});
    const { store } = harness();

    await store.write([usage(), usage({ id: 'usage-2', time_ms: RECORD_TIME + 1, model: 'claude-haiku-4-5', repo: null, input_tokens: 7 })]);

    const [input] = sentRequests();
    expect(input?.CommonAttributes).toEqual({
      Dimensions: [
        { Name: 'tool', Value: 'claude_code' },
        { Name: 'user_email', Value: 'dev@example.com' },
        { Name: 'organization_id', Value: 'org-1' },
        { Name: 'session_id', Value: 'session-1' },
        { Name: 'client_version', Value: '2.1.0' },
      ],
    });
    expect(input?.Records?.map((record) => record.Dimensions)).toEqual([
      [
        { Name: 'record_id', Value: 'usage-1' },
        { Name: 'model', Value: 'claude-opus-4-8' },
        { Name: 'repo', Value: 'acme/app' },
      ],
      [
        { Name: 'record_id', Value: 'usage-2' },
        { Name: 'model', Value: 'claude-haiku-4-5' },
      ],
    ]);
  });

  it('sends byte-identical requests when the same records are written again', async () => {
    timestream.on(WriteRecordsCommand).resolves({});
    const records = mixed();

    const first = await harness().store.write(records);
    const firstRequests = JSON.stringify(sentRequests());
    timestream.resetHistory();
    const second = await harness().store.write(records);

    expect(JSON.stringify(sentRequests())).toBe(firstRequests);
    expect(second).toEqual(first);
  });

  it('keeps two records that differ only in id apart: the id is a dimension, so they are two series', async () => {
    timestream.on(WriteRecordsCommand).resolves({});
    const { store } = harness();

    const outcome = await store.write([usage({ id: 'a' }), usage({ id: 'b' })]);

    expect(outcome.written).toBe(2);
    const [input] = sentRequests();
    const [a, b] = (input?.Records ?? []).map((record) => stored(input?.CommonAttributes, record));
    expect(a?.series).not.toBe(b?.series);
    expect(a?.measures).toEqual(b?.measures);
  });

  it('sends an id repeated within one write once and counts the repeat as a duplicate', async () => {
    timestream.on(WriteRecordsCommand).resolves({});
    const { store } = harness();

    const outcome = await store.write([usage(), activity(), usage()]);

    expect(outcome).toEqual({ written: 2, duplicates: 1, rejected: new Map(), rejectedIds: new Set() });
    expect(sentRequests().map((input) => input.Records?.length)).toEqual([1, 1]);
  });

  it('sends nothing for no records', async () => {
    const { store } = harness();

    expect(await store.write([])).toEqual({ written: 0, duplicates: 0, rejected: new Map(), rejectedIds: new Set() });
    expect(sentRequests()).toEqual([]);
  });
});
