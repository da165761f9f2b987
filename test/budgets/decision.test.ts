import { describe, expect, it } from 'vitest';
import { decide, denyReason } from '../../lambdas/budgets/decision.ts';
import type { BudgetGrant } from '../../lambdas/budgets/decision.ts';
import { parseBudget } from '../../lambdas/budgets/definition.ts';
import type { Spend, SpendQuery, SpendSource } from '../../lambdas/budgets/spend.ts';

const NOW = Date.parse('2026-12-06T12:00:00Z');
const dev = { email: 'dev@example.com', team: 'payments', repo: 'acme/checkout', tool: 'claude_code' };

/** Spend per scope text, whatever the period; records the queries it was asked. */
function spends(byScope: Record<string, Partial<Spend>>): SpendSource & { queries: SpendQuery[] } {
  const queries: SpendQuery[] = [];
  return {
    queries,
    spend: async (query) => {
      queries.push(query);
      const key = query.scope.kind === 'org' ? 'org' : query.scope.kind === 'team' ? `team:${query.scope.team}` : query.scope.kind === 'user' ? `user:${query.scope.email}` : `repo:${query.scope.repo}`;
      return { usd: 0, tokens: 0, unpricedTokens: 0, ...byScope[key] };
    },
    top: async () => [],
  };
}

const payments = parseBudget({ name: 'payments', scope: 'team:payments', limit_usd: 100, owner: 'platform@example.com' });
const platform = parseBudget({ name: 'platform', scope: 'team:platform', limit_usd: 1 });
const tokensDaily = parseBudget({ name: 'dev-tokens', scope: 'user:dev@example.com', period: 'day', limit_tokens: 1000 });
const softOnly = parseBudget({ name: 'org', scope: 'org', limit_usd: 1, hard: false });

describe('decide', () => {
  it('allows under every limit, and asks each budget for its own period', async () => {
    const source = spends({ 'team:payments': { usd: 99.99 }, 'user:dev@example.com': { tokens: 999 } });
    const decision = await decide([payments, platform, tokensDaily], dev, source, [], NOW);
    expect(decision.allow).toBe(true);
    expect(source.queries.map((query) => [query.scope.kind, new Date(query.startMs).toISOString()])).toEqual([
      ['user', '2026-12-06T00:00:00.000Z'],
      ['team', '2026-12-01T00:00:00.000Z'],
    ]);
  });

  it('denies at the limit, naming the budget, its spend and limit, the reset and the owner', async () => {
    const decision = await decide([payments, softOnly], dev, spends({ 'team:payments': { usd: 100 }, org: { usd: 5000 } }), [], NOW);
    expect(decision.allow).toBe(false);
    expect(decision.allow === false && decision.reason).toBe(
      'seatmeter: budget "payments" (team:payments) is exhausted for 2026-12: $100.00 of $100.00 at list prices. It resets 2027-01-01T00:00:00.000Z; platform@example.com can raise it or grant an exemption.',
    );
  });

  it('counts tokens for a token budget, and never denies on a soft-only one', async () => {
    const decision = await decide([tokensDaily, softOnly], dev, spends({ 'user:dev@example.com': { tokens: 1000, usd: 0.01 }, org: { usd: 5 } }), [], NOW);
    expect(decision.allow === false && decision.exhausted.budget.name).toBe('dev-tokens');
    expect(decision.allow === false && denyReason(decision.exhausted)).toContain('1,000 tokens of 1,000 tokens');
    expect((await decide([softOnly], dev, spends({ org: { usd: 5 } }), [], NOW)).allow).toBe(true);
  });

  it('lets an active grant raise or lift the limit, and an expired one not', async () => {
    const over = spends({ 'team:payments': { usd: 150 } });
    const grant = (extraUsd: number | null, untilMs: number): BudgetGrant => ({ target: 'payments', untilMs, extraUsd, grantedBy: 'oncall@example.com', reason: 'incident 42' });
    expect((await decide([payments], dev, over, [grant(100, NOW + 1)], NOW)).allow).toBe(true);
    expect((await decide([payments], dev, over, [grant(20, NOW + 1)], NOW)).allow).toBe(false);
    expect((await decide([payments], dev, over, [grant(null, NOW + 1)], NOW)).allow).toBe(true);
    expect((await decide([payments], dev, over, [grant(null, NOW)], NOW)).allow).toBe(false);
  });

  it('takes a scope as a grant\'s target: the budgets of that scope, and for a person every budget that counts them', async () => {
    const over = spends({ 'team:payments': { usd: 150 } });
    const grant = (target: string): BudgetGrant => ({ target, untilMs: NOW + 1, extraUsd: null, grantedBy: 'oncall@example.com', reason: 'incident 42' });
    expect((await decide([payments], dev, over, [grant('team:payments')], NOW)).allow).toBe(true);
    expect((await decide([payments], dev, over, [grant('user:dev@example.com')], NOW)).allow).toBe(true);
    expect((await decide([payments], dev, over, [grant('repo:acme/checkout')], NOW)).allow).toBe(true);
    // Someone else's exemption, another team's, or another budget's name lifts nothing here.
    for (const target of ['user:ana@example.com', 'team:platform', 'platform', 'repo:acme/other']) expect((await decide([payments], dev, over, [grant(target)], NOW)).allow).toBe(false);
  });

  it('ignores budgets that do not count the asker: another team, another tool', async () => {
    const codexOnly = parseBudget({ name: 'codex', scope: 'org', tool: 'codex', limit_usd: 1 });
    const source = spends({ 'team:platform': { usd: 10 }, org: { usd: 10 } });
    expect((await decide([platform, codexOnly], dev, source, [], NOW)).allow).toBe(true);
    expect(source.queries).toEqual([]);
  });
});
