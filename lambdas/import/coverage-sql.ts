import { RECORD_KINDS } from '../records/schema.ts';
import { DAY_MS } from '../rollup/day.ts';
import { sqlString } from '../rollup/day-usage-sql.ts';
import { chunks } from '../store/chunks.ts';
import type { StoreDialect } from '../rollup/day-usage-sql.ts';
import { IMPORT_ID_PREFIX, sessionKey, sliceKey } from './coverage.ts';
import type { CoverageQuery, SeenByTelemetry, TelemetryCoverage } from './coverage.ts';

/** Ids per statement: every engine's statement limits stay far away (Timestream's is 256 KiB of text). */
const CHUNK = 200;

const notImported = (dialect: StoreDialect) => `${dialect.recordId} NOT LIKE ${sqlString(`${IMPORT_ID_PREFIX}%`)}`;

/**
 * The coverage questions as SQL in the store's dialect (the local database, Timestream or the lake): per
 * tool, the asked sessions with any record telemetry stored in the window; Claude Code's asked request ids;
 * the days on which telemetry stored usage of the asked users, for the tools that need it.
 */
export function coverageSql(
  dialect: StoreDialect,
  query: CoverageQuery,
): { readonly sessions: readonly (readonly [tool: string, sql: string])[]; readonly requests: readonly string[]; readonly slices: readonly (readonly [tool: string, sql: string])[] } {
  const sessions: (readonly [string, string])[] = [];
  for (const [tool, ids] of query.sessions) {
    for (const part of chunks(ids, CHUNK)) {
      const selects = RECORD_KINDS.map((kind) => {
        const session = dialect.column(kind, 'session_id');
        return (
          `SELECT DISTINCT ${session} AS session_id FROM ${dialect.table(kind)} WHERE ${dialect.where(kind, query.fromMs, query.toMs)} ` +
          `AND ${dialect.column(kind, 'tool')} = ${sqlString(tool)} AND ${session} IN (${part.map(sqlString).join(', ')}) AND ${notImported(dialect)}`
        );
      });
      sessions.push([tool, selects.join(' UNION ')]);
    }
  }
  const requests = chunks(query.requestIds, CHUNK).map((part) => {
    const requestId = dialect.column('request', 'request_id');
    return (
      `SELECT DISTINCT ${requestId} AS request_id FROM ${dialect.table('request')} WHERE ${dialect.where('request', query.fromMs, query.toMs)} ` +
      `AND ${dialect.column('request', 'tool')} = 'claude_code' AND ${requestId} IN (${part.map(sqlString).join(', ')})`
    );
  });
  const slices: (readonly [string, string])[] = [];
  for (const tool of new Set(query.slices.map((slice) => slice.tool))) {
    const users = [...new Set(query.slices.filter((slice) => slice.tool === tool).map((slice) => slice.user_email))].sort();
    for (const part of chunks(users, CHUNK)) {
      const user = dialect.column('usage', 'user_email');
      slices.push([
        tool,
        `SELECT DISTINCT ${user} AS user_email, ${dialect.timeFloor(DAY_MS)} AS day_ms FROM ${dialect.table('usage')} WHERE ${dialect.where('usage', query.fromMs, query.toMs)} ` +
          `AND ${dialect.column('usage', 'tool')} = ${sqlString(tool)} AND ${user} IN (${part.map(sqlString).join(', ')}) AND ${notImported(dialect)}`,
      ]);
    }
  }
  return { sessions, requests, slices };
}

type Rows = readonly Readonly<Record<string, unknown>>[];

/** Telemetry coverage over any store the rollup's dialects describe: one adapter for all three stores. */
export class SqlTelemetryCoverage implements TelemetryCoverage {
  readonly #dialect: () => Promise<StoreDialect>;
  readonly #run: (sql: string) => Promise<Rows>;

  /** `run` throws the store's StorageUnavailableError or StorageRefusedError when it cannot answer. */
  constructor(dialect: () => Promise<StoreDialect>, run: (sql: string) => Promise<Rows>) {
    this.#dialect = dialect;
    this.#run = run;
  }

  async seen(query: CoverageQuery): Promise<SeenByTelemetry> {
    const sql = coverageSql(await this.#dialect(), query);
    const sessions = new Set<string>();
    for (const [tool, text] of sql.sessions) for (const row of await this.#run(text)) sessions.add(sessionKey(tool, String(row.session_id)));
    const requestIds = new Set<string>();
    for (const text of sql.requests) for (const row of await this.#run(text)) requestIds.add(String(row.request_id));
    const slices = new Set<string>();
    for (const [tool, text] of sql.slices) for (const row of await this.#run(text)) slices.add(sliceKey(tool, String(row.user_email), Number(row.day_ms)));
    return { sessions, requestIds, slices };
  }
}
