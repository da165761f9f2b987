import type { TimestreamRecord } from './record.ts';

const TIME_BYTES = 8;
const NUMBER_BYTES = 8;

function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * A record's size as Timestream counts it against its 2 KB limit: 8 bytes of time, every dimension name and
 * value, the measure name, and each measure's name and value (8 bytes for a number, the UTF-8 bytes of a
 * string). Measure it before common dimensions are moved out: they count for every record.
 */
export function recordBytes(record: TimestreamRecord): number {
  let bytes = TIME_BYTES + utf8Bytes(record.MeasureName);
  for (const dimension of record.Dimensions) bytes += utf8Bytes(dimension.Name) + utf8Bytes(dimension.Value);
  for (const measure of record.MeasureValues) bytes += utf8Bytes(measure.Name) + (measure.Type === 'VARCHAR' ? utf8Bytes(measure.Value) : NUMBER_BYTES);
  return bytes;
}
