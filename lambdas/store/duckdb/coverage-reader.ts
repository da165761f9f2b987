import { IMPORT_ID_PREFIX, sessionKey } from '../../import/coverage.ts';
import type { CoverageQuery, SeenByTelemetry, TelemetryCoverage } from '../../import/coverage.ts';
import { RECORD_KINDS } from '../../records/schema.ts';
import type { LocalDatabase } from './database.ts';

/** Values per statement: far under DuckDB's limits, and a batch's sessions are a few hundred at most. */
const CHUNK = 500;

function chunks<T>(values: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += CHUNK) out.push(values.slice(i, i + CHUNK));
  return out;
}

/** Which sessions and Claude request ids telemetry already put in the local database. */
export class DuckDbCoverageReader implements TelemetryCoverage {
  readonly #database: LocalDatabase;

  constructor(database: LocalDatabase) {
    this.#database = database;
  }

  async seen(query: CoverageQuery): Promise<SeenByTelemetry> {
    const sessions = new Set<string>();
    for (const [tool, ids] of query.sessions) {
      for (const part of chunks(ids)) {
        const marks = part.map(() => '?').join(', ');
        const sql = RECORD_KINDS.map((kind) => `SELECT DISTINCT session_id FROM ${kind} WHERE tool = ? AND session_id IN (${marks}) AND NOT starts_with(id, ?)`).join(' UNION ');
        const rows = await this.#database.query(sql, RECORD_KINDS.flatMap(() => [tool, ...part, IMPORT_ID_PREFIX]));
        for (const row of rows) sessions.add(sessionKey(tool, String(row.session_id)));
      }
    }
    const requestIds = new Set<string>();
    for (const part of chunks(query.requestIds)) {
      const rows = await this.#database.query(`SELECT DISTINCT request_id FROM request WHERE tool = 'claude_code' AND request_id IN (${part.map(() => '?').join(', ')})`, part);
      for (const row of rows) requestIds.add(String(row.request_id));
    }
    return { sessions, requestIds };
  }
}
