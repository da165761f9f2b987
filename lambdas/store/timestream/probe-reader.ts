import { QueryCommand } from '@aws-sdk/client-timestream-query';
import type { QueryResponse, TimestreamQueryClient } from '@aws-sdk/client-timestream-query';
import { PROBE_LOOKBACK_MINUTES, PROBE_TOOL } from '../../probe/constants.ts';
import { emptyProbeRecords } from '../../probe/records.ts';
import { checkProbeSessionId } from '../../probe/session-id.ts';
import type { ProbeReader, ProbeRecords } from '../../probe/types.ts';
import { RECORD_KINDS } from '../../records/schema.ts';
import type { RecordKind } from '../../records/schema.ts';
import { StorageRefusedError, StorageUnavailableError } from '../errors.ts';
import { tableOf } from './layout.ts';
import { isTransient } from './retry.ts';
import type { TableNames, TimestreamTarget } from './types.ts';

/** Without a deadline from the caller, a read-back gives up after this long. */
const DEFAULT_QUERY_BUDGET_MS = 10_000;

function identifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * The query counting a probe session's records in one table, per kind. Every kind in the table shares it
 * (they are told apart by measure name), and the time bound keeps the scan to the last hour.
 */
export function probeQuery(databaseName: string, tableName: string, kinds: readonly RecordKind[], sessionId: string): string {
  // Checked again here, next to the interpolation: no caller can skip it.
  checkProbeSessionId(sessionId);
  return (
    `SELECT measure_name, count(*) AS records FROM ${identifier(databaseName)}.${identifier(tableName)} ` +
    `WHERE time > ago(${PROBE_LOOKBACK_MINUTES}m) AND measure_name IN (${kinds.map((kind) => `'${kind}'`).join(', ')}) ` +
    `AND tool = '${PROBE_TOOL}' AND session_id = '${sessionId}' GROUP BY measure_name`
  );
}

function kindsByTable(tableNames: TableNames): Map<string, RecordKind[]> {
  const tables = new Map<string, RecordKind[]>();
  for (const kind of RECORD_KINDS) {
    const table = tableOf(tableNames, kind);
    tables.set(table, [...(tables.get(table) ?? []), kind]);
  }
  return tables;
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : String(error);
}

/**
 * Reads doctor's probe back from Timestream for LiveAnalytics: one query per distinct table of the receiver's
 * layout (the one-table layout costs one query), following NextToken to the last page, since
 * Timestream may hand out pages (even empty ones) before the result is complete.
 */
export class TimestreamProbeReader implements ProbeReader {
  readonly #client: TimestreamQueryClient;
  readonly #databaseName: string;
  readonly #tables: ReadonlyMap<string, readonly RecordKind[]>;
  readonly #now: () => number;
  readonly #deadline: (() => number) | undefined;

  constructor(options: TimestreamTarget<TimestreamQueryClient>) {
    this.#client = options.client;
    this.#databaseName = options.databaseName;
    this.#tables = kindsByTable(options.tableNames ?? {});
    this.#now = options.now ?? Date.now;
    this.#deadline = options.deadline;
  }

  async probeRecords(sessionId: string): Promise<ProbeRecords> {
    const deadline = this.#deadline?.() ?? this.#now() + DEFAULT_QUERY_BUDGET_MS;
    const records = emptyProbeRecords();
    for (const [table, kinds] of this.#tables) {
      const query = probeQuery(this.#databaseName, table, kinds, sessionId);
      let nextToken: string | undefined;
      do {
        const page = await this.#page(table, query, nextToken, deadline);
        for (const row of page.Rows ?? []) {
          const [measureName, count] = row.Data ?? [];
          const kind = kinds.find((known) => known === measureName?.ScalarValue);
          if (kind !== undefined) records[kind] += Number(count?.ScalarValue ?? 0);
        }
        nextToken = page.NextToken;
      } while (nextToken !== undefined);
    }
    return records;
  }

  async #page(table: string, query: string, nextToken: string | undefined, deadline: number): Promise<QueryResponse> {
    const what = `the probe query on ${this.#databaseName}.${table}`;
    const remaining = deadline - this.#now();
    if (remaining <= 0) throw new StorageUnavailableError(`no time left for ${what}`);
    try {
      return await this.#client.send(new QueryCommand({ QueryString: query, NextToken: nextToken }), { abortSignal: AbortSignal.timeout(remaining) });
    } catch (error) {
      if (isTransient(error)) throw new StorageUnavailableError(`Timestream could not answer ${what} (${errorName(error)})`, { cause: error });
      throw new StorageRefusedError(`Timestream refused ${what} (${errorName(error)})`, { cause: error });
    }
  }
}
