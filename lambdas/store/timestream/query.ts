import { QueryCommand } from '@aws-sdk/client-timestream-query';
import type { ColumnInfo, Datum, TimestreamQueryClient } from '@aws-sdk/client-timestream-query';

export type QueryRow = Readonly<Record<string, string | number | null>>;

/** Timestream answered in a shape the caller's scalar query cannot have produced. */
export class TimestreamAnswerError extends Error {
  override readonly name = 'TimestreamAnswerError';
}

const NUMERIC = new Set(['BIGINT', 'INTEGER', 'DOUBLE']);

function scalar(datum: Datum, column: ColumnInfo): string | number | null {
  if (datum.NullValue === true) return null;
  const type = column.Type?.ScalarType;
  if (datum.ScalarValue === undefined || type === undefined) {
    throw new TimestreamAnswerError(`column ${column.Name ?? '?'} is not a scalar (only scalar results are read)`);
  }
  return NUMERIC.has(type) ? Number(datum.ScalarValue) : datum.ScalarValue;
}

/**
 * Every row of a query, page after page. Timestream may answer a page with no rows and a NextToken while the
 * query still runs, so only a missing NextToken ends the result; each page repeats the query text, as the API
 * requires of a continuation. Errors (throttling after the SDK's retries, a bad query) propagate.
 */
export async function queryRows(client: TimestreamQueryClient, queryString: string): Promise<QueryRow[]> {
  const rows: QueryRow[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(new QueryCommand({ QueryString: queryString, NextToken: nextToken }));
    const columns = page.ColumnInfo ?? [];
    for (const row of page.Rows ?? []) {
      const data = row.Data ?? [];
      if (data.length !== columns.length) throw new TimestreamAnswerError(`a row has ${data.length} values for ${columns.length} columns`);
      rows.push(Object.fromEntries(columns.map((column, i) => [column.Name ?? `_${i}`, scalar(data[i] as Datum, column)])));
    }
    nextToken = page.NextToken;
  } while (nextToken !== undefined);
  return rows;
}
