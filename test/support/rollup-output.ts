import { ROLLUP_TABLES } from '../../lambdas/rollup/output/layout.ts';
import { LocalDatabase } from '../../lambdas/store/duckdb/database.ts';

/**
 * DuckDB over a rollup output folder, with each table as Athena sees it: every day's file under the table,
 * `dt` from the partition path as text (as the Glue table declares it).
 */
export async function rollupTablesIn(dir: string): Promise<LocalDatabase> {
  const database = await LocalDatabase.inMemory();
  for (const table of ROLLUP_TABLES) {
    await database.query(
      `CREATE VIEW ${table} AS SELECT * FROM read_parquet('${dir}/${table}/dt=*/*.parquet', hive_partitioning = true, hive_types = {'dt': VARCHAR})`,
    );
  }
  return database;
}
