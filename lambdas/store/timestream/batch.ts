import type { WriteRecordsRequest } from '@aws-sdk/client-timestream-write';
import type { TimestreamDimension, TimestreamRecord } from './record.ts';

function sameDimension(a: TimestreamDimension, b: TimestreamDimension): boolean {
  return a.Name === b.Name && a.Value === b.Value;
}

/**
 * The WriteRecords request for one batch of one table. Dimensions every record of the batch has with the same
 * value move into `CommonAttributes`, where they are charged once per request instead of once per record; they
 * leave the records, since a dimension in both places fails the whole request. A single record keeps all of
 * its own: there is nothing to share. Records in a batch have distinct ids, so each keeps its `record_id`.
 */
export function writeRequest(databaseName: string, tableName: string, records: readonly TimestreamRecord[]): WriteRecordsRequest {
  const [first, ...rest] = records;
  const common = first === undefined || rest.length === 0 ? [] : first.Dimensions.filter((dimension) => rest.every((record) => record.Dimensions.some((other) => sameDimension(dimension, other))));
  if (common.length === 0) return { DatabaseName: databaseName, TableName: tableName, Records: [...records] };
  const shared = new Set(common.map((dimension) => dimension.Name));
  return {
    DatabaseName: databaseName,
    TableName: tableName,
    CommonAttributes: { Dimensions: common },
    Records: records.map((record) => ({ ...record, Dimensions: record.Dimensions.filter((dimension) => !shared.has(dimension.Name)) })),
  };
}
