import { readFileSync } from 'node:fs';
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

const schema = JSON.parse(readFileSync(new URL('../../schemas/canonical-records.json', import.meta.url), 'utf8')) as SchemaFile;

export const RECORD_KINDS: readonly RecordKind[] = ['usage', 'activity', 'request'];

/** Every column of a record kind, as every store lays it out: the kind's own columns, then the context. */
export function columnsOf(kind: RecordKind): readonly Column[] {
  return [...schema.kinds[kind], ...schema.context];
}
