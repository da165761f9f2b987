import { SqlTelemetryCoverage } from '../../import/coverage-sql.ts';
import { lakeDialect } from './athena-dialect.ts';
import { athenaRows } from './athena-query.ts';
import type { AthenaTarget } from './athena-query.ts';

/** Which sessions and Claude request ids telemetry already put in the lake, by the same view the rollup reads. */
export function lakeCoverage(target: AthenaTarget, deadline: () => number): SqlTelemetryCoverage {
  return new SqlTelemetryCoverage(async () => lakeDialect(target.database), (sql) => athenaRows(target, sql, deadline()));
}
