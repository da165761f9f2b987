import { TimestreamWriteClient, WriteRecordsCommand } from '@aws-sdk/client-timestream-write';
import type { Dimension, WriteRecordsRequest, _Record } from '@aws-sdk/client-timestream-write';
import { afterEach, describe, expect, it } from 'vitest';
import { ingestOtlp } from '../../../lambdas/ingest/ingest.ts';
import { PriceBook } from '../../../lambdas/pricing/price-book.ts';
import { TimestreamRecordStore } from '../../../lambdas/store/timestream/record-store.ts';
import { InMemorySeriesStateStore } from '../../../lambdas/temporality/series-state.ts';
import { CAPTURES, loadCapture } from '../../support/captures.ts';
import { sentRequests, timestream } from './harness.ts';

afterEach(() => {
  timestream.reset();
});

const bytes = (text: string | undefined) => Buffer.byteLength(text ?? '', 'utf8');

/** The size Timestream holds against its 2 KB record limit, restated from its metering rules. */
function size(record: _Record, common: readonly Dimension[]): number {
  const dimensions = [...common, ...(record.Dimensions ?? [])].reduce((sum, d) => sum + bytes(d.Name) + bytes(d.Value), 0);
  const measures = (record.MeasureValues ?? []).reduce((sum, m) => sum + bytes(m.Name) + (m.Type === 'VARCHAR' ? bytes(m.Value) : 8), 0);
  return 8 + bytes(record.MeasureName) + dimensions + measures;
}

/** Everything about a request that Timestream would refuse, as readable lines. */
function problems(input: WriteRecordsRequest): string[] {
  const common = input.CommonAttributes?.Dimensions ?? [];
  const requestChecks: [boolean, string][] = [
    [(input.Records ?? []).length <= 100, 'more than 100 records'],
    [Object.keys(input.CommonAttributes ?? {}).every((key) => key === 'Dimensions'), 'CommonAttributes beyond dimensions'],
  ];
  const recordProblems = (input.Records ?? []).flatMap((record, index) => {
    const dimensions = [...common, ...(record.Dimensions ?? [])];
    const names = dimensions.map((d) => d.Name);
    const measures = record.MeasureValues ?? [];
    const checks: [boolean, string][] = [
      [size(record, common) <= 2048, `${size(record, common)} bytes`],
      [dimensions.length <= 128, 'more than 128 dimensions'],
      [new Set(names).size === names.length, 'a dimension twice'],
      [names.every((name) => bytes(name) >= 1 && bytes(name) <= 60), 'a dimension name outside 1–60 bytes'],
      [dimensions.every((d) => bytes(d.Value) >= 1), 'an empty dimension value'],
      [measures.length >= 1 && measures.length <= 256, 'not 1–256 measures'],
      [measures.every((m) => bytes(m.Name) >= 1 && bytes(m.Name) <= 256), 'a measure name outside 1–256 bytes'],
      [measures.every((m) => (m.Value ?? '').length >= 1 && (m.Value ?? '').length <= 2048), 'a measure value outside 1–2048 characters'],
      [measures.every((m) => m.Type === 'VARCHAR' || /^-?\d+(\.\d+)?(e[+-]\d+)?$/.test(m.Value ?? '')), 'a number that is not a literal'],
      [!names.some((name) => measures.some((m) => m.Name === name)), 'a name used as dimension and measure'],
      [/^\d+$/.test(record.Time ?? ''), `time ${record.Time}`],
      [record.TimeUnit === 'MILLISECONDS' && record.MeasureValueType === 'MULTI' && record.Version === undefined, 'not a versionless MULTI record in ms'],
    ];
    return checks.filter(([ok]) => !ok).map(([, what]) => `${input.TableName}[${index}]: ${what}`);
  });
  return [...requestChecks.filter(([ok]) => !ok).map(([, what]) => `${input.TableName}: ${what}`), ...recordProblems];
}

describe('TimestreamRecordStore on the real clients’ captures', () => {
  it('writes every record the captures yield as a record Timestream accepts', async () => {
    timestream.on(WriteRecordsCommand).resolves({});
    const store = new TimestreamRecordStore({
      client: new TimestreamWriteClient({ region: 'eu-west-1' }),
      databaseName: 'seatmeter',
      // Every capture lies in the past of this clock, so none is held back as future data.
      now: () => Date.parse('2100-01-01T00:00:00Z'),
      deadline: () => Date.parse('2100-01-01T00:00:10Z'),
      sleep: async () => undefined,
      random: () => 0.5,
    });
    const ports = { store, state: new InMemorySeriesStateStore(), pricer: new PriceBook({ version: 'test', models: [] }) };

    const reports = [];
    for (const [id] of CAPTURES) {
      const capture = loadCapture(id);
      reports.push(await ingestOtlp({ body: capture.body, contentType: capture.contentType, contentEncoding: capture.contentEncoding, pathHint: capture.path }, ports));
    }

    const requests = sentRequests();
    const sent = requests.flatMap((input) => input.Records ?? []);
    expect(requests.flatMap(problems)).toEqual([]);
    expect(new Set(sent.map((record) => record.MeasureName))).toEqual(new Set(['usage', 'activity', 'request']));
    expect(sent.length).toBe(reports.reduce((sum, report) => sum + report.written, 0));
    expect(reports.map((report) => report.records.length)).toEqual(reports.map((report) => report.written + report.duplicates));
    expect(reports.flatMap((report) => [...report.rejectedReasons.keys()].filter((reason) => reason.startsWith('store:')))).toEqual([]);
  });
});
