import { GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import type { AthenaClient, ColumnInfo } from '@aws-sdk/client-athena';
import { setTimeout as delay } from 'node:timers/promises';
import { StorageRefusedError, StorageUnavailableError } from '../errors.ts';
import type { QueryRow } from '../timestream/query.ts';

/** Where the lake's queries run: the workgroup holds the result location and the bytes-scanned cutoff. */
export interface AthenaTarget {
  readonly client: AthenaClient;
  readonly workGroup: string;
  readonly database: string;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

const NUMERIC = new Set(['tinyint', 'smallint', 'integer', 'bigint', 'double', 'float', 'real', 'decimal']);
const POLL_MS = 250;

function value(text: string | undefined, column: ColumnInfo): string | number | null {
  if (text === undefined) return null;
  return NUMERIC.has((column.Type ?? '').toLowerCase()) ? Number(text) : text;
}

/**
 * Runs one query and returns every row, all pages. Athena queries are asynchronous: started, polled until they
 * end, then read page by page (the first page's first row is the header). A query that fails or is cancelled
 * (the workgroup's bytes-scanned cutoff, a bad column) is refused with Athena's reason; one still running at
 * the deadline is stopped being waited for and reported unavailable.
 */
export async function athenaRows(target: AthenaTarget, sql: string, deadlineMs: number): Promise<QueryRow[]> {
  const now = target.now ?? Date.now;
  const sleep = target.sleep ?? ((ms: number) => delay(ms));
  const { QueryExecutionId: id } = await target.client.send(
    new StartQueryExecutionCommand({ QueryString: sql, WorkGroup: target.workGroup, QueryExecutionContext: { Database: target.database } }),
  );
  if (id === undefined) throw new StorageUnavailableError('Athena started no query execution');
  for (;;) {
    const { QueryExecution: execution } = await target.client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
    const state = execution?.Status?.State;
    if (state === 'SUCCEEDED') break;
    if (state === 'FAILED' || state === 'CANCELLED') {
      throw new StorageRefusedError(`Athena query ${id} ${state.toLowerCase()}: ${execution?.Status?.StateChangeReason ?? 'no reason given'}`);
    }
    if (now() + POLL_MS > deadlineMs) throw new StorageUnavailableError(`Athena query ${id} still ${state ?? 'unknown'} at the deadline`);
    await sleep(POLL_MS);
  }
  const rows: QueryRow[] = [];
  let nextToken: string | undefined;
  let first = true;
  do {
    const page = await target.client.send(new GetQueryResultsCommand({ QueryExecutionId: id, NextToken: nextToken }));
    const columns = page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? [];
    const data = page.ResultSet?.Rows ?? [];
    for (const [index, row] of data.entries()) {
      if (first && index === 0) continue;
      const cells = row.Data ?? [];
      rows.push(Object.fromEntries(columns.map((column, i) => [column.Name ?? `_${i}`, value(cells[i]?.VarCharValue, column)])));
    }
    first = false;
    nextToken = page.NextToken;
  } while (nextToken !== undefined);
  return rows;
}
