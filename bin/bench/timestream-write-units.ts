/**
 * Timestream for LiveAnalytics write units of the WriteRecords requests an export makes.
 *
 * The rule (https://docs.aws.amazon.com/timestream/latest/developerguide/metering-and-pricing.writes.html,
 * summarised in /work/shared/reference/aws-notes.md §1 "Pricing"): a record's size is 8 bytes of time plus the
 * UTF-8 bytes of every dimension name and value and of the measure name, plus each measure's name and value
 * (8 bytes for BIGINT or DOUBLE, UTF-8 bytes for VARCHAR) — `recordBytes` in lambdas/store/timestream/record-size.ts.
 * "Each write is counted in units of 1 KiB", where a write is one WriteRecords request: AWS's worked example
 * batches 12 events of 83 bytes into one write, so the rounding up is per request, not per record.
 * Dimensions in `CommonAttributes` are charged once per request ("repeated dimensions within a batch are charged
 * once", aws-notes citing https://aws.amazon.com/timestream/pricing/).
 */
import type { Dimension, MeasureValue, WriteRecordsCommandInput, _Record } from '@aws-sdk/client-timestream-write';
import { recordBytes } from '../../lambdas/store/timestream/record-size.ts';
import type { TimestreamDimension, TimestreamMeasure, TimestreamRecord } from '../../lambdas/store/timestream/record.ts';

export const WRITE_UNIT_BYTES = 1024;

function dimension(value: Dimension): TimestreamDimension {
  if (value.Name === undefined || value.Value === undefined) throw new Error('a dimension without name or value');
  return { Name: value.Name, Value: value.Value };
}

function measure(value: MeasureValue): TimestreamMeasure {
  if (value.Type !== 'BIGINT' && value.Type !== 'DOUBLE' && value.Type !== 'VARCHAR') throw new Error(`measure type ${String(value.Type)} is not metered here`);
  return { Name: value.Name ?? '', Value: value.Value ?? '', Type: value.Type };
}

/** The SDK's loosely typed record as record-size.ts takes it; only the multi-measure records the store writes. */
function asRecord(record: _Record): TimestreamRecord {
  if (record.MeasureValueType !== 'MULTI' || record.MeasureName === undefined || record.Time === undefined) {
    throw new Error('expected a multi-measure record with its own measure name and time');
  }
  return {
    Dimensions: (record.Dimensions ?? []).map(dimension),
    MeasureName: record.MeasureName,
    MeasureValueType: 'MULTI',
    MeasureValues: (record.MeasureValues ?? []).map(measure),
    Time: record.Time,
    TimeUnit: 'MILLISECONDS',
  };
}

/** Bytes of a request as metered: its records as sent, plus the common dimensions once. */
export function requestBytes(request: WriteRecordsCommandInput): number {
  const common = request.CommonAttributes ?? {};
  const { Dimensions: commonDimensions = [], ...otherCommon } = common;
  // The store only moves dimensions there; anything else would need its own rule, so say so instead of guessing.
  if (Object.values(otherCommon).some((value) => value !== undefined)) throw new Error('CommonAttributes holds more than dimensions');
  const shared = commonDimensions.map(dimension).reduce((sum, d) => sum + Buffer.byteLength(d.Name) + Buffer.byteLength(d.Value), 0);
  return (request.Records ?? []).reduce((sum, record) => sum + recordBytes(asRecord(record)), shared);
}

export function requestUnits(request: WriteRecordsCommandInput): number {
  return Math.ceil(requestBytes(request) / WRITE_UNIT_BYTES);
}

/** Each record's own dimensions together with the request's common ones. */
function fullDimensions(request: WriteRecordsCommandInput, record: _Record): Map<string, string> {
  const out = new Map<string, string>();
  for (const d of [...(request.CommonAttributes?.Dimensions ?? []), ...(record.Dimensions ?? [])]) out.set(d.Name ?? '', d.Value ?? '');
  return out;
}

export interface ExportWrites {
  readonly requests: number;
  readonly records: number;
  readonly bytes: number;
  readonly units: number;
  /** Distinct (session_id, model) among the written records, counting only records that name a model. */
  readonly sessionModels: number;
  readonly tables: readonly string[];
}

export function exportWrites(requests: readonly WriteRecordsCommandInput[]): ExportWrites {
  const pairs = new Set<string>();
  for (const request of requests) {
    for (const record of request.Records ?? []) {
      const dims = fullDimensions(request, record);
      const model = dims.get('model');
      // Activity records without a model (e.g. lines of code) ride along with their session's usage.
      if (model !== undefined) pairs.add(JSON.stringify([dims.get('session_id') ?? null, model]));
    }
  }
  return {
    requests: requests.length,
    records: requests.reduce((sum, request) => sum + (request.Records?.length ?? 0), 0),
    bytes: requests.reduce((sum, request) => sum + requestBytes(request), 0),
    units: requests.reduce((sum, request) => sum + requestUnits(request), 0),
    sessionModels: pairs.size,
    tables: [...new Set(requests.map((request) => request.TableName ?? '?'))],
  };
}
