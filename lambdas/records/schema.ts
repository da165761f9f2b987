import schemaFile from '../../schemas/canonical-records.json' with { type: 'json' };
import type { CanonicalRecord } from './types.ts';

export type ColumnType = 'string' | 'bigint' | 'double';

export interface Column {
  readonly name: string;
  readonly type: ColumnType;
  readonly role: 'id' | 'time' | 'dimension' | 'measure';
  readonly nullable: boolean;
}

export type RecordKind = CanonicalRecord['kind'];

interface SchemaFile {
  readonly context: readonly Column[];
  readonly kinds: Readonly<Record<RecordKind, readonly Column[]>>;
}

// Imported rather than read, so that a bundle carries it and needs no schemas/ folder beside it.
const schema = schemaFile as SchemaFile;

export const RECORD_KINDS: readonly RecordKind[] = ['usage', 'activity', 'request'];

/** Every column of a record kind, as every store lays it out: the kind's own columns, then the context. */
export function columnsOf(kind: RecordKind): readonly Column[] {
  return [...schema.kinds[kind], ...schema.context];
}

/**
 * What makes `record` unfit for its kind's columns (a missing required value, a value of the wrong type),
 * or null. Stores check it before accepting a record, so one bad record fails its own write alone.
 */
export function columnProblem(record: CanonicalRecord): string | null {
  const values = record as unknown as Readonly<Record<string, unknown>>;
  if (!RECORD_KINDS.includes(record.kind)) return `record ${String(values.id)}: unknown kind ${JSON.stringify(values.kind)}`;
  for (const column of columnsOf(record.kind)) {
    const value = values[column.name];
    if (value === null || value === undefined) {
      if (column.nullable) continue;
      return `${record.kind} record ${record.id}: ${column.name} is required`;
    }
    const fits = column.type === 'string' ? typeof value === 'string' : column.type === 'bigint' ? Number.isSafeInteger(value) : typeof value === 'number' && Number.isFinite(value);
    if (!fits) return `${record.kind} record ${record.id}: ${column.name} must be ${column.type === 'string' ? 'a string' : column.type === 'bigint' ? 'a safe integer' : 'a finite number'}, got ${JSON.stringify(value)}`;
  }
  return null;
}
