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
