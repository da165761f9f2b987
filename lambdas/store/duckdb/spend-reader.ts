import type { Spend, SpendFacet, SpendQuery, SpendShare, SpendSource } from '../../budgets/spend.ts';
import type { TeamDirectoryMap } from '../../budgets/team-map.ts';
import { PRICED_COST, TOKENS, UNPRICED_TOKENS } from '../../report/usage-panels.ts';
import type { LocalDatabase } from './database.ts';

/**
 * A budget's spend from the local database: the sums `seatmeter report` makes, over the usage records of the
 * scope and period, so the two agree to the cent. A team is its members in the team map.
 */
export class DuckDbSpendSource implements SpendSource {
  readonly #database: LocalDatabase;
  readonly #teams: TeamDirectoryMap;

  constructor(database: LocalDatabase, teams: TeamDirectoryMap) {
    this.#database = database;
    this.#teams = teams;
  }

  async spend(query: SpendQuery): Promise<Spend> {
    const where = await this.#where(query);
    if (where === null) return { usd: 0, tokens: 0, unpricedTokens: 0 };
    const [row] = await this.#database.query(`SELECT ${PRICED_COST}, ${TOKENS}, ${UNPRICED_TOKENS} FROM usage WHERE ${where.sql}`, where.params);
    return { usd: Number(row?.estimated_cost_usd ?? 0), tokens: Number(row?.tokens ?? 0), unpricedTokens: Number(row?.unpriced_tokens ?? 0) };
  }

  async top(query: SpendQuery, facet: SpendFacet, limit: number): Promise<SpendShare[]> {
    const where = await this.#where(query);
    if (where === null) return [];
    const column = FACET_COLUMNS[facet];
    const rows = await this.#database.query(
      `SELECT ${column} AS key, ${PRICED_COST}, ${TOKENS} FROM usage WHERE ${where.sql} GROUP BY 1 ORDER BY estimated_cost_usd DESC, tokens DESC, key LIMIT ?`,
      [...where.params, limit],
    );
    return rows.map((row) => ({ key: row.key === null ? null : String(row.key), usd: Number(row.estimated_cost_usd ?? 0), tokens: Number(row.tokens ?? 0) }));
  }

  /** The usage rows of the query's scope and period; null when no row can match (a team with no members). */
  async #where(query: SpendQuery): Promise<{ sql: string; params: (string | number)[] } | null> {
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
      const members = (await this.#teams.current()).membersOf(scope.team);
      if (members.length === 0) return null;
      clauses.push(`lower(user_email) IN (${members.map(() => '?').join(', ')})`);
      params.push(...members);
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
