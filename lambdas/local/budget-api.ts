import type { BudgetBook } from '../budgets/budget-book.ts';
import { standing } from '../budgets/decision.ts';
import { BudgetDefinitionError, budgetJson, parseBudget, parseBudgetFile } from '../budgets/definition.ts';
import type { BudgetAnswer, BudgetServices } from '../http-answers/budget-answers.ts';

/** `GET` lists the budgets with where each stands; `PUT` sets one budget, or every budget of a budgets.json. */
export const BUDGETS_API_PATH = '/api/budgets';

function json(status: number, value: unknown, summary: string): BudgetAnswer {
  return { status, headers: { 'content-type': 'application/json' }, body: new TextEncoder().encode(JSON.stringify(value)), summary };
}

/** Sets (adds or replaces by name) the budget in the body, or each one of a `{"budgets": [...]}` body. */
export async function putBudgets(body: Uint8Array, book: BudgetBook): Promise<BudgetAnswer> {
  const text = new TextDecoder().decode(body);
  try {
    const parsed: unknown = JSON.parse(text);
    const budgets = typeof parsed === 'object' && parsed !== null && 'budgets' in parsed ? parseBudgetFile(text, 'the body') : [parseBudget(parsed)];
    for (const budget of budgets) await book.put(budget);
    return json(200, { set: budgets.map((budget) => budget.name) }, `set ${budgets.length}`);
  } catch (error) {
    if (error instanceof SyntaxError || error instanceof BudgetDefinitionError) return json(400, { error: error.message }, 'bad budget');
    throw error;
  }
}

/** Every budget, its period, spend, limit and share used now: what `seatmeter budget status` prints. */
export async function budgetStatus(services: BudgetServices): Promise<unknown[]> {
  const [budgets, grants] = await Promise.all([services.book.budgets(), services.book.grants()]);
  const now = services.now();
  return Promise.all(
    budgets.map(async (budget) => {
      const entry = await standing(budget, services.spends, grants, now);
      const limit = Number.isFinite(entry.limit) ? entry.limit : null;
      return {
        ...budgetJson(budget),
        period_key: entry.period.key,
        used: entry.used,
        limit,
        used_fraction: limit === null ? null : entry.used / limit,
        unpriced_tokens: entry.spend.unpricedTokens,
        state: entry.used >= entry.limit ? (budget.hard ? 'capped' : 'over') : budget.soft.some((fraction) => entry.used >= fraction * entry.limit) ? 'warning' : 'ok',
        grant: entry.grant === null ? null : { until: new Date(entry.grant.untilMs).toISOString(), extra_usd: entry.grant.extraUsd, granted_by: entry.grant.grantedBy, reason: entry.grant.reason },
      };
    }),
  );
}
