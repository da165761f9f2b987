import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ParquetRowError, parquetTable } from '../../lambdas/rollup/output/parquet.ts';
import type { TableColumn } from '../../lambdas/rollup/tables.ts';
import { LocalDatabase } from '../../lambdas/store/duckdb/database.ts';

interface Row {
  readonly name: string;
  readonly note: string | null;
  readonly tokens: number;
  readonly cost: number | null;
}

const COLUMNS: readonly TableColumn<Row>[] = [
  { name: 'name', type: 'string', nullable: false },
  { name: 'note', type: 'string', nullable: true },
  { name: 'tokens', type: 'bigint', nullable: false },
  { name: 'cost', type: 'double', nullable: true },
];

const dir = mkdtempSync(join(tmpdir(), 'seatmeter-parquet-'));
const duckdb = await LocalDatabase.inMemory();
afterAll(() => duckdb.close());

function file(name: string, body: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, body);
  return path;
}

describe('Parquet tables', () => {
  it('reads back in DuckDB with Athena-safe types, nulls and large counts intact', async () => {
    const rows: Row[] = [
      { name: 'a', note: null, tokens: 9_007_199_254_740_991, cost: 0.07767 },
      { name: 'b', note: 'ünïcode', tokens: 0, cost: null },
    ];
    const path = file('rows.parquet', parquetTable(COLUMNS, rows));
    expect(await duckdb.query(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM '${path}')`)).toEqual([
      { column_name: 'name', column_type: 'VARCHAR' },
      { column_name: 'note', column_type: 'VARCHAR' },
      { column_name: 'tokens', column_type: 'BIGINT' },
      { column_name: 'cost', column_type: 'DOUBLE' },
    ]);
    expect(await duckdb.query(`SELECT name, note, tokens::VARCHAR AS tokens, cost FROM '${path}'`)).toEqual([
      { name: 'a', note: null, tokens: '9007199254740991', cost: 0.07767 },
      { name: 'b', note: 'ünïcode', tokens: '0', cost: null },
    ]);
  });

  it('writes an empty day as a file with the full schema', async () => {
    const path = file('empty.parquet', parquetTable(COLUMNS, []));
    expect(await duckdb.query(`SELECT count(*) AS n FROM '${path}'`)).toEqual([{ n: 0 }]);
    expect(await duckdb.query(`SELECT column_name FROM (DESCRIBE SELECT * FROM '${path}')`)).toHaveLength(COLUMNS.length);
  });

  it.each([
    [{ name: null }, 'row 0: name = null is not a string'],
    [{ tokens: 1.5 }, 'row 0: tokens = 1.5 is not a bigint'],
    [{ tokens: 2 ** 53 }, 'is not a bigint'],
    [{ cost: Number.NaN }, 'row 0: cost = NaN is not a nullable double'],
    [{ cost: '0.1' }, 'row 0: cost = "0.1" is not a nullable double'],
  ])('refuses a row with %j rather than write a wrong file', (bad, message) => {
    const row = { name: 'a', note: null, tokens: 1, cost: 1, ...bad } as unknown as Row;
    expect(() => parquetTable(COLUMNS, [row])).toThrow(ParquetRowError);
    expect(() => parquetTable(COLUMNS, [row])).toThrow(message);
  });
});
