import { afterAll, describe, expect, it } from 'vitest';
import { parseBudget } from '../../../lambdas/budgets/definition.ts';
import { TeamMap } from '../../../lambdas/budgets/team-map.ts';
import { LocalUsageReports } from '../../../lambdas/local/usage-reports.ts';
import { DuckDbBudgetBook } from '../../../lambdas/store/duckdb/budget-book.ts';
import { LocalDatabase } from '../../../lambdas/store/duckdb/database.ts';
import { DuckDbSpendSource } from '../../../lambdas/store/duckdb/spend-reader.ts';
import { localStoreWithCaptures } from '../../support/local-store.ts';

const database = await localStoreWithCaptures(new TeamMap(new Map([['dev@example.com', 'payments']])));
afterAll(() => database.close());
const DAY = { startMs: Date.parse('2026-11-22T00:00:00Z'), endMs: Date.parse('2026-11-23T00:00:00Z') };
const spends = new DuckDbSpendSource(database);
const billable = (row: { input_tokens: number; cache_read_tokens: number; cache_write_tokens: number; output_tokens: number }) =>
  row.input_tokens + row.cache_read_tokens + row.cache_write_tokens + row.output_tokens;

describe('DuckDbSpendSource', () => {
  it('sums what `seatmeter report` shows for the same scope and period, per user and for the org', async () => {
    const report = await new LocalUsageReports(database).report({ fromMs: DAY.startMs, toMs: DAY.endMs, by: ['user'] });
    const dev = report.find((row) => row.user_email === 'dev@example.com');
    const spend = await spends.spend({ scope: { kind: 'user', email: 'dev@example.com' }, tool: null, model: null, ...DAY });
    expect(dev).toBeDefined();
    expect(spend).toEqual({ usd: dev?.estimated_cost_usd, tokens: dev === undefined ? -1 : billable(dev), unpricedTokens: 0 });

    const [all] = await new LocalUsageReports(database).report({ fromMs: DAY.startMs, toMs: DAY.endMs, by: [] });
    const org = await spends.spend({ scope: { kind: 'org' }, tool: null, model: null, ...DAY });
    expect(org.tokens).toBe(84_896);
    expect(org.usd).toBe(all?.estimated_cost_usd);
  });

  it('counts a team as the records stamped with it at ingest, a repo, a tool and a model as their records, and nothing outside the period', async () => {
    const team = await spends.spend({ scope: { kind: 'team', team: 'payments' }, tool: null, model: null, ...DAY });
    const dev = await spends.spend({ scope: { kind: 'user', email: 'dev@example.com' }, tool: null, model: null, ...DAY });
    expect(team).toEqual(dev);
    expect(await spends.spend({ scope: { kind: 'team', team: 'nobody' }, tool: null, model: null, ...DAY })).toEqual({ usd: 0, tokens: 0, unpricedTokens: 0 });
    const [byTool] = await new LocalUsageReports(database).report({ fromMs: DAY.startMs, toMs: DAY.endMs, by: ['tool'] });
    const tool = await spends.spend({ scope: { kind: 'org' }, tool: String(byTool?.tool), model: null, ...DAY });
    expect(tool.usd).toBe(byTool?.estimated_cost_usd);
    expect(await spends.spend({ scope: { kind: 'org' }, tool: null, model: null, startMs: DAY.endMs, endMs: DAY.endMs + 86_400_000 })).toEqual({ usd: 0, tokens: 0, unpricedTokens: 0 });
    expect((await spends.spend({ scope: { kind: 'repo', repo: 'no/such' }, tool: null, model: null, ...DAY })).tokens).toBe(0);
    expect((await spends.spend({ scope: { kind: 'org' }, tool: null, model: 'no-such-model', ...DAY })).tokens).toBe(0);
  });
});

describe('DuckDbBudgetBook', () => {
  it('keeps budgets by name and grants per budget, and removing a budget removes its grants', async () => {
    const book = new DuckDbBudgetBook(await LocalDatabase.inMemory());
    const monthly = parseBudget({ name: 'payments', scope: 'team:payments', limit_usd: 100 });
    await book.put(monthly);
    await book.put({ ...monthly, limit: { unit: 'usd', amount: 200 } });
    await book.put(parseBudget({ name: 'org', scope: 'org', limit_tokens: 10, hard: false }));
    expect((await book.budgets()).map((budget) => [budget.name, budget.limit.amount])).toEqual([['org', 10], ['payments', 200]]);
    await book.grant({ target: 'payments', untilMs: 5, extraUsd: null, grantedBy: 'oncall@example.com', reason: 'incident 42' }, 1);
    expect(await book.grants()).toEqual([{ target: 'payments', untilMs: 5, extraUsd: null, grantedBy: 'oncall@example.com', reason: 'incident 42' }]);
    expect(await book.remove('payments')).toBe(true);
    expect(await book.remove('payments')).toBe(false);
    expect(await book.grants()).toEqual([]);
  });
});
