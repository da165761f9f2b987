/**
 * Every query of the committed usage board, run on the local store filled with every captured client request:
 * translated the way Grafana and the Timestream plugin would expand it (timestream-dialect.ts), then checked
 * against the fixture README's totals, `seatmeter report`, and the local dashboard's own numbers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dashboard, Panel } from '../../bin/dashboards/grafana-model.ts';
import { BUCKET_COLUMN, nullGroupLabel } from '../../bin/dashboards/timestream-sql.ts';
import { LocalUsageReports } from '../../lambdas/local/usage-reports.ts';
import type { ActivityRecord } from '../../lambdas/records/types.ts';
import type { DashboardData, DashboardQuery } from '../../lambdas/report/dashboard-types.ts';
import type { ReportRow } from '../../lambdas/report/report-types.ts';
import { rateBucketMs } from '../../lambdas/report/usage-sql.ts';
import { LocalDatabase } from '../../lambdas/store/duckdb/database.ts';
import { openRecordStore } from '../support/record-store.ts';
import { FIXTURE_TOTALS } from '../support/fixture-totals.ts';
import { TeamMap } from '../../lambdas/budgets/team-map.ts';
import { localStoreWithCaptures } from '../support/local-store.ts';
import { activity, usage } from '../support/records.ts';
import { panelById, panelTitled, timestreamPanels, timestreamQuery, usageBoardFile } from './board-files.ts';
import { ALL, translate } from './timestream-dialect.ts';
import type { Selection } from './timestream-dialect.ts';

type Row = Record<string, string | number | null>;

const FROM_MS = Date.parse('2026-11-01T00:00:00Z');
const TO_MS = Date.parse('2026-12-01T00:00:00Z');
/** The local page's bucket for this range; Grafana picks its own from the panel width, any value works. */
const INTERVAL_MS = rateBucketMs(FROM_MS, TO_MS);
const EVERYTHING = { user: ALL, tool: ALL, model: ALL, repo: ALL, team: ALL } as const;
const NO_IDENTITY = nullGroupLabel('user_email');

const board: Dashboard = usageBoardFile();
let database: LocalDatabase;
let reports: LocalUsageReports;

beforeAll(async () => {
  database = await localStoreWithCaptures(new TeamMap(new Map([['dev@example.com', 'payments']])));
  reports = new LocalUsageReports(database);
}, 60_000);

afterAll(async () => {
  await database?.close();
});

/** Rows as plain values: integers as numbers, timestamps as epoch milliseconds. */
async function run(store: LocalDatabase, sql: string): Promise<Row[]> {
  const reader = await store.read((connection) => connection.runAndReadAll(sql));
  return reader.getRowObjectsJS().map((row) =>
    Object.fromEntries(Object.entries(row).map(([key, value]) => [key, typeof value === 'bigint' ? Number(value) : value instanceof Date ? value.getTime() : (value as string | number | null)])),
  );
}

function grafanaSql(sql: string, selections: Readonly<Record<string, Selection>> = EVERYTHING): string {
  const variables = board.templating.list.map((variable) => ({ name: variable.name, ...(typeof variable.allValue === 'string' ? { allValue: variable.allValue } : {}) }));
  return translate(sql, { fromMs: FROM_MS, toMs: TO_MS, intervalMs: INTERVAL_MS, variables, selections });
}

/** What a panel shows: its own query's rows, or those of the panel it takes its data from. */
function sourceOf(panel: Panel): Panel {
  const panelId = panel.targets?.[0]?.panelId;
  return typeof panelId === 'number' ? panelById(board, panelId) : panel;
}

function grafana(title: string, selections?: Readonly<Record<string, Selection>>, store = database): Promise<Row[]> {
  return run(store, grafanaSql(timestreamQuery(sourceOf(panelTitled(board, title))).rawQuery, selections));
}

/** The board calls a user without identity by name; the local API says null. */
function asLocal(rows: readonly Row[]): Row[] {
  return rows.map((row) => ('user_email' in row && row.user_email === NO_IDENTITY ? { ...row, user_email: null } : row));
}

/** Rows in one order whatever the store sorted a label by: the board's '(no identity)' sorts first, NULL last. */
function byUser(rows: readonly Row[]): Row[] {
  return [...rows].sort((a, b) => Number(a.time_ms ?? 0) - Number(b.time_ms ?? 0) || String(a.user_email).localeCompare(String(b.user_email)));
}

const fixtureSum = (column: 3 | 4 | 5 | 6 | 7 | 8) => FIXTURE_TOTALS.reduce((sum, row) => sum + row[column], 0);

describe('the usage board on the captured fixtures', () => {
  it('runs every query of every panel and every variable on the local store, none of them empty', async () => {
    const queries = [
      ...timestreamPanels(board).map((panel) => timestreamQuery(panel).rawQuery),
      ...board.templating.list.flatMap((variable) => (variable.type === 'query' && typeof variable.query === 'string' ? [variable.query] : [])),
    ];
    expect(queries).toHaveLength(16);
    for (const sql of queries) expect((await run(database, grafanaSql(sql))).length).toBeGreaterThan(0);
  });

  it('totals the fixture README: tokens, cost, every token priced, and one active developer per distinct identity, usage without one counting none', async () => {
    const [overview] = await grafana('Total tokens');
    expect(overview).toEqual({
      total_tokens: fixtureSum(3) + fixtureSum(4) + fixtureSum(5) + fixtureSum(6),
      estimated_cost_usd: expect.closeTo(fixtureSum(8), 9),
      unpriced_tokens: 0,
      // Usage without an identity (the Codex runs) is nobody's: one developer, one clock hour.
      active_developers: new Set(FIXTURE_TOTALS.flatMap((row) => (row[0] === null ? [] : [row[0]]))).size,
      active_hours: 1,
      sessions: 15,
    });
  });

  it('shows in its developer × token-type table exactly what `seatmeter report --by user` prints', async () => {
    const report = await reports.report({ fromMs: FROM_MS, toMs: TO_MS, by: ['user'] });
    const matrix = asLocal(await grafana('Developer × token type'));
    const tokenColumns = ({ user_email, input_tokens, cache_read_tokens, cache_write_tokens, output_tokens, reasoning_tokens }: ReportRow) => ({
      user_email: user_email ?? null,
      input_tokens,
      cache_read_tokens,
      cache_write_tokens,
      output_tokens,
      reasoning_tokens,
    });
    expect(byUser(matrix)).toEqual(byUser(report.map(tokenColumns)));
    expect(matrix).toHaveLength(2);
  });

  const VIEWS: readonly [string, Readonly<Record<string, Selection>>, DashboardQuery][] = [
    ['everyone', EVERYTHING, { fromMs: FROM_MS, toMs: TO_MS, users: [], tools: [], teams: [] }],
    ['one developer', { ...EVERYTHING, user: ['dev@example.com'] }, { fromMs: FROM_MS, toMs: TO_MS, users: ['dev@example.com'], tools: [], teams: [] }],
    ['two tools', { ...EVERYTHING, tool: ['codex', 'gemini_cli'] }, { fromMs: FROM_MS, toMs: TO_MS, users: [], tools: ['codex', 'gemini_cli'], teams: [] }],
    ['one team', { ...EVERYTHING, team: ['payments'] }, { fromMs: FROM_MS, toMs: TO_MS, users: [], tools: [], teams: ['payments'] }],
  ];

  it.each(VIEWS)('agrees with the local dashboard page on every number it shows, for %s', async (_view, selections, query) => {
    const local: DashboardData = await reports.dashboard(query);
    const [overview] = await grafana('Total tokens', selections);
    const { cache_hit_ratio: _ratio, ...byType } = (await grafana('Tokens by type', selections))[0] ?? {};
    expect(overview).toEqual(local.overview);
    expect(asLocal(await grafana('Tokens by developer', selections))).toEqual(local.developers);
    expect(byType).toEqual(local.by_type);
    expect(await grafana('Tokens by model', selections)).toEqual(local.by_model);
    expect(byUser(asLocal(await grafana('Developer × token type', selections)))).toEqual(byUser(local.matrix as unknown as Row[]));
    const rate = asLocal(await grafana('Token rate per developer', selections));
    expect(byUser(rate.map(({ [BUCKET_COLUMN]: time_ms = null, ...rest }) => ({ time_ms, ...rest })))).toEqual(byUser(local.rate.points));
  });

  it('narrows to a model and to a repository, and the cache hit ratio is cache read over all input', async () => {
    const tokensOf = (rows: readonly (typeof FIXTURE_TOTALS)[number][]) => rows.reduce((sum, row) => sum + row[3] + row[4] + row[5] + row[6], 0);
    const [onOpus] = await grafana('Total tokens', { ...EVERYTHING, model: ['claude-opus-4-8'] });
    expect(onOpus?.total_tokens).toBe(tokensOf(FIXTURE_TOTALS.filter((row) => row[2] === 'claude-opus-4-8')));
    // Codex sent no service.namespace: choosing the repository leaves its tokens out.
    const [inRepo] = await grafana('Total tokens', { ...EVERYTHING, repo: ['demo-repo'] });
    expect(inRepo?.total_tokens).toBe(tokensOf(FIXTURE_TOTALS.filter((row) => row[1] !== 'codex')));
    const [byType] = await grafana('Cache hit ratio');
    expect(byType?.cache_hit_ratio).toBeCloseTo(fixtureSum(4) / (fixtureSum(3) + fixtureSum(4) + fixtureSum(5)), 12);
  });

  it('ranks cost by tool, highest first', async () => {
    const tools = await grafana('Estimated cost by tool');
    const costOf = (tool: string) => FIXTURE_TOTALS.filter((row) => row[1] === tool).reduce((sum, row) => sum + row[8], 0);
    expect(tools.map((row) => [row.tool, row.estimated_cost_usd])).toEqual([
      ['claude_code', expect.closeTo(costOf('claude_code'), 9)],
      ['codex', expect.closeTo(costOf('codex'), 9)],
      ['gemini_cli', expect.closeTo(costOf('gemini_cli'), 9)],
    ]);
  });

  it('offers as filter choices the values reported in the range', async () => {
    const choices = async (name: string) => {
      const query = board.templating.list.find((variable) => variable.name === name)?.query;
      return (await run(database, grafanaSql(String(query)))).map((row) => Object.values(row)[0]);
    };
    expect(await choices('user')).toEqual(['dev@example.com']);
    expect(await choices('tool')).toEqual(['claude_code', 'codex', 'gemini_cli']);
    expect(await choices('model')).toEqual([...new Set(FIXTURE_TOTALS.map((row) => row[2]))].sort());
    expect(await choices('repo')).toEqual(['demo-repo']);
  });

  it('counts the activity the clients reported: sessions started, and nothing they did not send', async () => {
    const recorded = await run(database, "SELECT metric, sum(value) AS total FROM activity GROUP BY metric");
    const total = (metric: string) => Number(recorded.find((row) => row.metric === metric)?.total ?? 0);
    const [activity] = await grafana('Lines added');
    expect(activity).toEqual({
      lines_added: total('lines_added'),
      lines_removed: total('lines_removed'),
      commits: total('commits'),
      pull_requests: total('pull_requests'),
      edit_accepted: 0,
      edit_rejected: 0,
      edit_accept_rate: null,
    });
    const sessions = await grafana('Sessions started');
    expect(sessions.reduce((sum, row) => sum + Number(row.sessions_started), 0)).toBe(total('sessions'));
    expect(total('sessions')).toBe(15);
  });
});

describe('the usage board on activity the fixtures lack', () => {
  const recorded = (id: string, metric: ActivityRecord['metric'], value: number) => activity({ id, metric, value, model: null });
  let store: LocalDatabase;

  beforeAll(async () => {
    store = await LocalDatabase.inMemory();
    await (await openRecordStore(store)).write([
      usage({ model: 'no-such-model', input_tokens: 10, cache_read_tokens: 0, output_tokens: 5, estimated_cost_usd: null, price_version: null }),
      recorded('a1', 'edit_accepted', 3),
      recorded('a2', 'edit_rejected', 1),
      recorded('a3', 'lines_added', 120),
      recorded('a4', 'lines_removed', 7),
      recorded('a5', 'commits', 2),
      recorded('a6', 'pull_requests', 1),
    ]);
  });

  afterAll(async () => {
    await store?.close();
  });

  it('sums edits, lines, commits and pull requests, and the accept rate is accepted over decided', async () => {
    expect(await grafana('Edit accept rate', EVERYTHING, store)).toEqual([
      { lines_added: 120, lines_removed: 7, commits: 2, pull_requests: 1, edit_accepted: 3, edit_rejected: 1, edit_accept_rate: 0.75 },
    ]);
  });

  it('counts the tokens of a model without a price as unpriced and adds no cost for them', async () => {
    const [overview] = await grafana('Unpriced tokens', EVERYTHING, store);
    expect([overview?.total_tokens, overview?.unpriced_tokens, overview?.estimated_cost_usd]).toEqual([15, 15, 0]);
  });
});
