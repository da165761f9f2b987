import type { ColumnType } from '../../records/schema.ts';
import type { CanonicalRecord } from '../../records/types.ts';
import { RECORD_ID_DIMENSION, layoutOf } from './layout.ts';

export interface TimestreamDimension {
  Name: string;
  Value: string;
}

export type TimestreamMeasureType = 'BIGINT' | 'DOUBLE' | 'VARCHAR';

export interface TimestreamMeasure {
  Name: string;
  Value: string;
  Type: TimestreamMeasureType;
}

/** The one multi-measure record a canonical record becomes; assignable to the SDK's `_Record`. */
export interface TimestreamRecord {
  Dimensions: TimestreamDimension[];
  MeasureName: string;
  MeasureValueType: 'MULTI';
  MeasureValues: TimestreamMeasure[];
  Time: string;
  TimeUnit: 'MILLISECONDS';
}

const MEASURE_TYPE: Readonly<Record<ColumnType, TimestreamMeasureType>> = { bigint: 'BIGINT', double: 'DOUBLE', string: 'VARCHAR' };

type ColumnValue = string | number | null | undefined;

/**
 * Timestream stores neither a null nor an empty string (a dimension or measure value needs at least one
 * character), so both are left out and read back as null.
 */
function present(value: ColumnValue): value is string | number {
  return value !== null && value !== undefined && value !== '';
}

function measureText(value: string | number, type: ColumnType): string {
  // A BIGINT must be an integer literal; a count from a double OTLP sum can carry a fraction, and the local
  // store's BIGINT cast rounds it the same way.
  return type === 'bigint' && typeof value === 'number' ? String(Math.round(value)) : String(value);
}

/**
 * One canonical record as one Timestream record: the kind as measure name, the record id and every reported
 * dimension as dimensions, every known measure typed from the schema. No `Version` is set, so it defaults to 1
 * and a retried write of the same record is identical, which Timestream ignores.
 */
export function toTimestreamRecord(record: CanonicalRecord): TimestreamRecord {
  const { dimensions, measures } = layoutOf(record.kind);
  const values = record as unknown as Readonly<Record<string, ColumnValue>>;
  const Dimensions: TimestreamDimension[] = [{ Name: RECORD_ID_DIMENSION, Value: record.id }];
  for (const column of dimensions) {
    const value = values[column.name];
    if (present(value)) Dimensions.push({ Name: column.name, Value: String(value) });
  }
  const MeasureValues: TimestreamMeasure[] = [];
  for (const column of measures) {
    const value = values[column.name];
    if (present(value)) MeasureValues.push({ Name: column.name, Value: measureText(value, column.type), Type: MEASURE_TYPE[column.type] });
  }
  return { Dimensions, MeasureName: record.kind, MeasureValueType: 'MULTI', MeasureValues, Time: String(record.time_ms), TimeUnit: 'MILLISECONDS' };
}
