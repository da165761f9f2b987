import type { Spend, SpendFacet, SpendQuery, SpendShare, SpendSource } from '../../budgets/spend.ts';
import { PRICED_COST, TOKENS, UNPRICED_TOKENS } from '../../report/usage-panels.ts';
import type { LocalDatabase } from './database.ts';

/**
 * A budget's spend from the local database: the sums `seatmeter report` makes, over the usage records of the
 * scope and period, so the two agree to the cent. A team is the records stamped with it as they arrived.
 */
export class DuckDbSpendSource implements SpendSource {
  readonly #database: LocalDatabase;

  constructor(database: LocalDatabase) {
    this.#database = database;
  }

  async spend(query: SpendQuery): Promise<Spend> {
    const where = this.#where(query);
    const [row] = await this.#database.query(`SELECT ${PRICED_COST}, ${TOKENS}, ${UNPRICED_TOKENS} FROM usage WHERE ${where.sql}`, where.params);
    return { usd: Number(row?.estimated_cost_usd ?? 0), tokens: Number(row?.tokens ?? 0), unpricedTokens: Number(row?.unpriced_tokens ?? 0) };
  }

  async top(query: SpendQuery, facet: SpendFacet, limit: number): Promise<SpendShare[]> {
    const where = this.#where(query);
    const column = FACET_COLUMNS[facet];
    const rows = await this.#database.query(
      `SELECT ${column} AS key, ${PRICED_COST}, ${TOKENS} FROM usage WHERE ${where.sql} GROUP BY 1 ORDER BY estimated_cost_usd DESC, tokens DESC, key LIMIT ?`,
      [...where.params, limit],
    );
    return rows.map((row) => ({ key: row.key === null ? null : String(row.key), usd: Number(row.estimated_cost_usd ?? 0), tokens: Number(row.tokens ?? 0) }));
  }

  /** The usage rows of the query's scope and period. */
  #where(query: SpendQuery): { sql: string; params: (string | number)[] } {
    const clauses = ['time_ms >= ?', 'time_ms < ?'];
    const params: (string | number)[] = [query.startMs, query.endMs];
    const scope = query.scope;
    if (scope.kind === 'user') {
      clauses.push('lower(user_email) = ?');
      params.push(scope.email);
    } else if (scope.kind === 'repo') {
      clauses.push('repo = ?');
      params.push(scope.repo);
    } else if (scope.kind === 'team') {
      clauses.push('team = ?');
      params.push(scope.team);
    }
    for (const [column, value] of [['tool', query.tool], ['model', query.model]] as const) {
      if (value === null) continue;
      clauses.push(`${column} = ?`);
      params.push(value);
    }
    return { sql: clauses.join(' AND '), params };
  }
}

const FACET_COLUMNS: Readonly<Record<SpendFacet, string>> = { user: 'lower(user_email)', model: 'model', repo: 'repo' };
