import { columnsOf } from '../../records/schema.ts';
import type { Column, RecordKind } from '../../records/schema.ts';
import type { TableNames } from './types.ts';
import { MAX_DIMENSION_NAME_BYTES, MAX_DIMENSIONS_PER_TABLE, MAX_MEASURE_NAME_BYTES, MAX_MEASURES_PER_RECORD } from './limits.ts';

/**
 * The record id as a dimension. It makes every record its own series, so two different records never meet on
 * (dimensions, time, measure name) — Timestream would reject the second as a conflicting value — while a
 * retried record is identical and Timestream ignores it. Named `record_id` rather than `id` so that it reads as
 * what it is next to `request_id` and `session_id` in queries.
 */
export const RECORD_ID_DIMENSION = 'record_id';

export function tableOf(tableNames: TableNames, kind: RecordKind): string {
  return tableNames[kind] ?? kind;
}

/** How a kind's columns land in its table: `time_ms` becomes the record time, the rest become columns. */
export interface TimestreamLayout {
  readonly dimensions: readonly Column[];
  readonly measures: readonly Column[];
}

/** Why Timestream refuses `name` as a column, or null when it is a valid name. */
export function columnNameProblem(name: string, maxBytes: number): string | null {
  if (name === 'time' || name === 'measure_name' || name === 'measure_value') return `${name} is reserved`;
  for (const prefix of ['ts_', 'measure_name', 'measure_value']) if (name.startsWith(prefix)) return `${name} starts with the reserved ${prefix}`;
  if (name.includes(':')) return `${name} contains a colon`;
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes === 0 || bytes > maxBytes) return `${name} is not 1 to ${maxBytes} bytes long`;
  return null;
}

function layout(kind: RecordKind): TimestreamLayout {
  const columns = columnsOf(kind);
  const dimensions = columns.filter((column) => column.role === 'dimension');
  const measures = columns.filter((column) => column.role === 'measure');
  const dimensionNames = [RECORD_ID_DIMENSION, ...dimensions.map((column) => column.name)];
  const measureNames = measures.map((column) => column.name);
  const problems = [
    ...dimensionNames.map((name) => columnNameProblem(name, MAX_DIMENSION_NAME_BYTES)),
    ...measureNames.map((name) => columnNameProblem(name, MAX_MEASURE_NAME_BYTES)),
    // Dimensions and measures share one column namespace in a multi-measure table.
    new Set([...dimensionNames, ...measureNames]).size === dimensionNames.length + measureNames.length ? null : `${kind} has a column name twice`,
    dimensionNames.length <= MAX_DIMENSIONS_PER_TABLE ? null : `${kind} has more than ${MAX_DIMENSIONS_PER_TABLE} dimensions`,
    measureNames.length <= MAX_MEASURES_PER_RECORD ? null : `${kind} has more than ${MAX_MEASURES_PER_RECORD} measures`,
  ].filter((problem) => problem !== null);
  // Checked once at load: a schema column Timestream cannot hold fails every test and cold start, not a write.
  if (problems.length > 0) throw new Error(`canonical schema does not fit Timestream: ${problems.join('; ')}`);
  return { dimensions, measures };
}

const LAYOUTS: Readonly<Record<RecordKind, TimestreamLayout>> = { usage: layout('usage'), activity: layout('activity'), request: layout('request') };

export function layoutOf(kind: RecordKind): TimestreamLayout {
  return LAYOUTS[kind];
}
