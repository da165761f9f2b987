import { describe, expect, it } from 'vitest';
import { ingestOtlp } from '../../lambdas/ingest/ingest.ts';
import { PriceBook } from '../../lambdas/pricing/price-book.ts';
import { columnsOf } from '../../lambdas/records/schema.ts';
import type { Column } from '../../lambdas/records/schema.ts';
import type { CanonicalRecord } from '../../lambdas/records/types.ts';
import { InMemoryRecordStore } from '../../lambdas/store/memory.ts';
import { InMemorySeriesStateStore } from '../../lambdas/temporality/series-state.ts';
import { CAPTURES, loadCapture } from '../support/captures.ts';


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
      const columns = columnsOf(record.kind);
      expect(Object.keys(record).sort()).toEqual(['kind', ...columns.map((c) => c.name)].sort());
      const misfits = columns.filter((column) => !fits(column, (record as unknown as Record<string, unknown>)[column.name]));
      expect(misfits).toEqual([]);
    }
  });
});
