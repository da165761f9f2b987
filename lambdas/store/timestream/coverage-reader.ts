import type { TimestreamQueryClient } from '@aws-sdk/client-timestream-query';
import { SqlTelemetryCoverage } from '../../import/coverage-sql.ts';
import { StorageRefusedError, StorageUnavailableError } from '../errors.ts';
import { timestreamDialect } from './dialect.ts';
import { queryRows } from './query.ts';
import { isTransient } from './retry.ts';
import type { TimestreamTableNames } from './table-names.ts';

async function guarded<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const name = error instanceof Error ? error.name : String(error);
    if (isTransient(error)) throw new StorageUnavailableError(`Timestream could not answer ${what} (${name})`, { cause: error });
    throw new StorageRefusedError(`Timestream refused ${what} (${name})`, { cause: error });
  }
}

/** Which sessions and Claude request ids telemetry already put in Timestream: the import route's question. */
export function timestreamCoverage(client: TimestreamQueryClient, databaseName: string, tableNames: TimestreamTableNames): SqlTelemetryCoverage {
  return new SqlTelemetryCoverage(
    () => guarded('the description of its tables', () => timestreamDialect(client, databaseName, tableNames)),
    (sql) => guarded('the import coverage query', () => queryRows(client, sql)),
  );
}
