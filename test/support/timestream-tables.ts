/**
 * What a mocked Timestream holds, rebuilt from the WriteRecords requests it received, and its answer to the
 * probe read-back query computed from that: a test then finds a probe only if the receiver really wrote it.
 */
import type { QueryResponse } from '@aws-sdk/client-timestream-query';
import type { WriteRecordsRequest } from '@aws-sdk/client-timestream-write';

/** One record as Timestream stores it: common attributes merged in, dimensions and measures as columns. */
export interface StoredRow {
  readonly table: string;
  readonly measureName: string;
  readonly timeMs: number;
  readonly columns: Readonly<Record<string, string>>;
}

/** One row per (table, record_id): Timestream ignores an identical rewrite. */
export function storedRows(requests: readonly WriteRecordsRequest[]): StoredRow[] {
  const rows = new Map<string, StoredRow>();
  for (const request of requests) {
    for (const record of request.Records ?? []) {
      const columns: Record<string, string> = {};
      for (const d of [...(request.CommonAttributes?.Dimensions ?? []), ...(record.Dimensions ?? [])]) columns[d.Name ?? ''] = d.Value ?? '';
      for (const m of record.MeasureValues ?? []) columns[m.Name ?? ''] = m.Value ?? '';
      const table = request.TableName ?? '';
      rows.set(`${table}\n${columns.record_id ?? ''}`, {
        table,
        measureName: record.MeasureName ?? request.CommonAttributes?.MeasureName ?? '',
        timeMs: Number(record.Time ?? request.CommonAttributes?.Time),
        columns,
      });
    }
  }
  return [...rows.values()];
}

const PROBE_QUERY =
  /^SELECT measure_name, count\(\*\) AS records FROM "([^"]+)"\."([^"]+)" WHERE time > ago\((\d+)m\) AND measure_name IN \(([^)]*)\) AND tool = '([^']*)' AND session_id = '([^']*)' GROUP BY measure_name$/;

/**
 * Timestream's one-page answer to the probe query, counted from `rows` as of `nowMs`. A query of any other
 * shape throws: the fake understands only what it was written for, and says so.
 */
export function answerProbeQuery(queryString: string, databaseName: string, rows: readonly StoredRow[], nowMs: number): QueryResponse {
  const match = PROBE_QUERY.exec(queryString);
  if (match === null) throw new Error(`not the probe query: ${queryString}`);
  const [, database, table, minutes, kindList, tool, sessionId] = match;
  if (database !== databaseName) throw new Error(`query names database ${database}, not ${databaseName}`);
  const kinds = (kindList ?? '').split(', ').map((kind) => kind.replace(/^'|'$/g, ''));
  const since = nowMs - Number(minutes) * 60_000;
  const counts = new Map<string, number>();
  for (const row of rows) {
    if (row.table !== table || !kinds.includes(row.measureName) || row.timeMs <= since) continue;
    if (row.columns.tool !== tool || row.columns.session_id !== sessionId) continue;
    counts.set(row.measureName, (counts.get(row.measureName) ?? 0) + 1);
  }
  return {
    QueryId: 'probe-query',
    ColumnInfo: [
      { Name: 'measure_name', Type: { ScalarType: 'VARCHAR' } },
      { Name: 'records', Type: { ScalarType: 'BIGINT' } },
    ],
    Rows: [...counts].map(([kind, count]) => ({ Data: [{ ScalarValue: kind }, { ScalarValue: String(count) }] })),
  };
}
