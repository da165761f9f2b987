import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ingestOtlp } from '../../lambdas/ingest/ingest.ts';
import { PriceBook } from '../../lambdas/pricing/price-book.ts';
import type { CanonicalRecord } from '../../lambdas/records/types.ts';
import { InMemoryRecordStore } from '../../lambdas/store/memory.ts';
import { InMemorySeriesStateStore } from '../../lambdas/temporality/series-state.ts';
import { CAPTURES, loadCapture } from '../support/captures.ts';

interface Column {
  readonly name: string;
  readonly type: 'string' | 'bigint' | 'double';
  readonly nullable: boolean;
}

const schema = JSON.parse(readFileSync('schemas/canonical-records.json', 'utf8')) as {
  context: Column[];
  kinds: Record<CanonicalRecord['kind'], Column[]>;
};

async function fixtureRecords(): Promise<CanonicalRecord[]> {
  const store = new InMemoryRecordStore();
  const ports = { store, state: new InMemorySeriesStateStore(), pricer: new PriceBook({ version: 'test', models: [] }) };
  for (const [id] of CAPTURES) {
    const capture = loadCapture(id);
    await ingestOtlp({ ...capture, pathHint: capture.path }, ports);
  }
  return store.all();
}

function fits(column: Column, value: unknown): boolean {
  if (value === null) return column.nullable;
  if (column.type === 'string') return typeof value === 'string';
  if (column.type === 'bigint') return Number.isSafeInteger(value);
  return typeof value === 'number' && Number.isFinite(value);
}

describe('canonical-records.json', () => {
  it('describes every field of every record the real captures produce, with its type', async () => {
    const records = await fixtureRecords();
    expect(new Set(records.map((r) => r.kind))).toEqual(new Set(['usage', 'activity', 'request']));
    for (const record of records) {
      const columns = [...schema.context, ...schema.kinds[record.kind]];
      expect(Object.keys(record).sort()).toEqual(['kind', ...columns.map((c) => c.name)].sort());
      const misfits = columns.filter((column) => !fits(column, (record as unknown as Record<string, unknown>)[column.name]));
      expect(misfits).toEqual([]);
    }
  });
});
