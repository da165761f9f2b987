import { SqlTelemetryCoverage } from '../../import/coverage-sql.ts';
import type { LocalDatabase } from './database.ts';
import { DUCKDB } from './day-usage-reader.ts';

/** Which sessions and Claude request ids telemetry already put in the local database. */
export function duckDbCoverage(database: LocalDatabase): SqlTelemetryCoverage {
  return new SqlTelemetryCoverage(async () => DUCKDB, (sql) => database.query(sql));
}
