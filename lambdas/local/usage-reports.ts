import { readTokenCounts } from '../records/types.ts';
import { attributionQuery, featureReportRows, wantsFeature } from '../report/feature-report.ts';
import type { SpanRow } from '../report/feature-report.ts';
import type { PullRequestSource } from '../rollup/sources.ts';
import type { DashboardData, DashboardQuery, FilterOptions, TokenBreakdown } from '../report/dashboard-types.ts';
import type { ReportQuery, ReportRow } from '../report/report-types.ts';
import { dashboardSql, rateBucketMs, reportSql } from '../report/usage-sql.ts';
import type { Sql } from '../report/usage-sql.ts';
import type { LocalDatabase, SqlRow } from '../store/duckdb/database.ts';

const num = (value: unknown): number => Number(value ?? 0);
const text = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

function breakdown(row: SqlRow | undefined): TokenBreakdown {
  return readTokenCounts((field) => num(row?.[field]));
}

/** Answers `seatmeter report` and the dashboard from the local database. */
export class LocalUsageReports {
  readonly #database: LocalDatabase;
  readonly #pullRequests: PullRequestSource | null;

  /** `pullRequests`: what gives sessions their feature in a report by feature; without it all are unattributed. */
  constructor(database: LocalDatabase, pullRequests: PullRequestSource | null = null) {
    this.#database = database;
    this.#pullRequests = pullRequests;
  }

  #run(query: Sql): Promise<SqlRow[]> {
    return this.#database.query(query.sql, query.params);
  }

  async report(query: ReportQuery): Promise<ReportRow[]> {
    if (wantsFeature(query)) {
      const [rows, pullRequests] = await Promise.all([this.#run(reportSql(attributionQuery(query))), this.#pullRequests?.pullRequests(query.fromMs)]);
      return featureReportRows(query, rows as unknown as SpanRow[], pullRequests ?? []);
    }
    const rows = await this.#run(reportSql({ ...query, by: query.by.filter((key) => key !== 'feature') }));
    return rows as unknown as ReportRow[];
  }

  async dashboard(query: DashboardQuery): Promise<DashboardData> {
    const bucketMs = rateBucketMs(query.fromMs, query.toMs);
    const [overview, developers, rate, byType, byModel, matrix] = await Promise.all([
      this.#run(dashboardSql.overview(query)),
      this.#run(dashboardSql.developers(query)),
      this.#run(dashboardSql.rate(query, bucketMs)),
      this.#run(dashboardSql.byType(query)),
      this.#run(dashboardSql.byModel(query)),
      this.#run(dashboardSql.matrix(query)),
    ]);
    const first = overview[0];
    return {
      query: { fromMs: query.fromMs, toMs: query.toMs, users: query.users, tools: query.tools, teams: query.teams },
      overview: {
        total_tokens: num(first?.total_tokens),
        estimated_cost_usd: num(first?.estimated_cost_usd),
        unpriced_tokens: num(first?.unpriced_tokens),
        active_developers: num(first?.active_developers),
        active_hours: num(first?.active_hours),
        sessions: num(first?.sessions),
      },
      developers: developers.map((row) => ({ user_email: text(row.user_email), tokens: num(row.tokens), estimated_cost_usd: num(row.estimated_cost_usd) })),
      rate: { bucket_ms: bucketMs, points: rate.map((row) => ({ time_ms: num(row.time_ms), user_email: text(row.user_email), tokens: num(row.tokens) })) },
      by_type: breakdown(byType[0]),
      by_model: byModel.map((row) => ({
        model: String(row.model),
        tokens: num(row.tokens),
        estimated_cost_usd: num(row.estimated_cost_usd),
        unpriced_tokens: num(row.unpriced_tokens),
      })),
      matrix: matrix.map((row) => ({ user_email: text(row.user_email), ...breakdown(row) })),
    };
  }

  async filters(query: Pick<DashboardQuery, 'fromMs' | 'toMs'>): Promise<FilterOptions> {
    const all = { ...query, users: [], tools: [], teams: [] };
    const [users, tools, teams] = await Promise.all([this.#run(dashboardSql.users(all)), this.#run(dashboardSql.tools(all)), this.#run(dashboardSql.teams(all))]);
    return { users: users.map((row) => text(row.user_email)), tools: tools.map((row) => String(row.tool)), teams: teams.map((row) => text(row.team)) };
  }
}
