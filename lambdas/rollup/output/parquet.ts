import { ByteWriter, parquetWrite } from 'hyparquet-writer';
import type { ColumnSource, SchemaElement } from 'hyparquet-writer';
import type { TableColumn } from '../tables.ts';

/** A row the writer cannot represent: a bug upstream, so nothing is written rather than a wrong file. */
export class ParquetRowError extends Error {
  override readonly name = 'ParquetRowError';
}

function schemaElement<Row>(column: TableColumn<Row>): SchemaElement {
  const repetition_type = column.nullable ? 'OPTIONAL' : 'REQUIRED';
  if (column.type === 'bigint') return { name: column.name, type: 'INT64', repetition_type };
  if (column.type === 'double') return { name: column.name, type: 'DOUBLE', repetition_type };
  return { name: column.name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type };
}

function cellError<Row>(column: TableColumn<Row>, value: unknown, index: number): ParquetRowError {
  const shown = typeof value === 'number' ? String(value) : JSON.stringify(value);
  return new ParquetRowError(`row ${index}: ${column.name} = ${shown} is not a ${column.nullable ? 'nullable ' : ''}${column.type}`);
}

function cell<Row>(column: TableColumn<Row>, value: unknown, index: number): bigint | number | string | null {
  if (value === null || value === undefined) {
    if (column.nullable) return null;
  } else if (column.type === 'string') {
    if (typeof value === 'string') return value;
  } else if (typeof value === 'number' && Number.isFinite(value)) {
    if (column.type === 'double') return value;
    if (Number.isSafeInteger(value)) return BigInt(value);
  }
  throw cellError(column, value, index);
}

/**
 * Rows as one Parquet file (Snappy, one row group per 100,000 rows), typed by the table's columns rather
 * than guessed from the data, so an empty day still writes a file with the full schema.
 */
export function parquetTable<Row>(columns: readonly TableColumn<Row>[], rows: readonly Row[]): Uint8Array {
  const columnData: ColumnSource[] = columns.map((column) => ({
    name: column.name,
    data: rows.map((row, index) => cell(column, row[column.name], index)),
    nullable: column.nullable,
  }));
  const writer = new ByteWriter();
  parquetWrite({
    writer,
    columnData,
    schema: [{ name: 'root', num_children: columns.length }, ...columns.map(schemaElement)],
    rowGroupSize: 100_000,
    createdBy: 'seatmeter rollup',
  });
  return new Uint8Array(writer.getBuffer());
}
