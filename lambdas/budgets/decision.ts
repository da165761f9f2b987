import type { Budget } from './definition.ts';
import { scopeText } from './definition.ts';
import { periodAt } from './period.ts';
import type { Period } from './period.ts';
import type { Spend, SpendSource } from './spend.ts';

/** A temporary exemption: until `untilMs`, the budget's hard limit is raised by `extraUsd`, or lifted when null. */
export interface BudgetGrant {
  readonly budget: string;
  readonly untilMs: number;
  readonly extraUsd: number | null;
  readonly grantedBy: string;
  readonly reason: string;
}

/** Who is asking, as their credential and the hook's working directory establish it. */
export interface Asker {
  readonly email: string;
  readonly team: string | null;
  readonly repo: string | null;
  readonly tool: string | null;
}

export interface BudgetStanding {
  readonly budget: Budget;
  readonly period: Period;
  readonly spend: Spend;
  /** The amount counted against the limit: `spend.usd` or `spend.tokens`. */
  readonly used: number;
  /** The limit in force now, a grant's extra included; Infinity while a grant lifts it. */
  readonly limit: number;
  readonly grant: BudgetGrant | null;
}

export type Decision =
  | { readonly allow: true; readonly standings: readonly BudgetStanding[] }
  | { readonly allow: false; readonly reason: string; readonly exhausted: BudgetStanding; readonly standings: readonly BudgetStanding[] };

/** Whether the budget counts the asker's spend: its scope names them, their team or their repo. */
export function applies(budget: Budget, asker: Asker): boolean {
  if (budget.tool !== null && asker.tool !== null && budget.tool !== asker.tool) return false;
  switch (budget.scope.kind) {
    case 'org':
      return true;
    case 'team':
      return asker.team === budget.scope.team;
    case 'user':
      return asker.email === budget.scope.email;
    case 'repo':
      return asker.repo === budget.scope.repo;
  }
}

function activeGrant(budget: Budget, grants: readonly BudgetGrant[], nowMs: number): BudgetGrant | null {
  const active = grants.filter((grant) => grant.budget === budget.name && grant.untilMs > nowMs);
  // A lifting grant wins; otherwise the largest extra.
  return active.find((grant) => grant.extraUsd === null) ?? active.sort((a, b) => (b.extraUsd ?? 0) - (a.extraUsd ?? 0))[0] ?? null;
}

/** Where the budget stands now: its period, what was spent in it, and the limit in force. */
export async function standing(budget: Budget, spends: SpendSource, grants: readonly BudgetGrant[], nowMs: number): Promise<BudgetStanding> {
  const period = periodAt(budget.period, budget.timeZone, nowMs);
  const spend = await spends.spend({ scope: budget.scope, tool: budget.tool, model: budget.model, startMs: period.startMs, endMs: period.endMs });
  const grant = activeGrant(budget, grants, nowMs);
  const extra = grant === null ? 0 : grant.extraUsd === null ? Number.POSITIVE_INFINITY : budget.limit.unit === 'usd' ? grant.extraUsd : 0;
  return { budget, period, spend, used: budget.limit.unit === 'usd' ? spend.usd : spend.tokens, limit: budget.limit.amount + extra, grant };
}

const amount = (budget: Budget, value: number): string => (budget.limit.unit === 'usd' ? `$${value.toFixed(2)}` : `${Math.round(value).toLocaleString('en-US')} tokens`);

/** What a capped developer reads: which budget, its spend and limit, when it resets, and who can raise it. */
export function denyReason(exhausted: BudgetStanding): string {
  const { budget, period } = exhausted;
  const owner = budget.owner === null ? 'your platform team' : budget.owner;
  return (
    `seatmeter: budget "${budget.name}" (${scopeText(budget.scope)}${budget.tool === null ? '' : `, ${budget.tool}`}${budget.model === null ? '' : `, ${budget.model}`}) ` +
    `is exhausted for ${period.key}: ${amount(budget, exhausted.used)} of ${amount(budget, exhausted.limit)} at list prices. ` +
    `It resets ${new Date(period.endMs).toISOString()}; ${owner} can raise it or grant an exemption.`
  );
}

/**
 * Allow or deny the asker's next action: denied when any hard budget that counts them is at or over its
 * limit (the first by name, so the reason is stable). Soft-only budgets never deny.
 */
export async function decide(budgets: readonly Budget[], asker: Asker, spends: SpendSource, grants: readonly BudgetGrant[], nowMs: number): Promise<Decision> {
  const relevant = budgets.filter((budget) => applies(budget, asker)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const standings = await Promise.all(relevant.map((budget) => standing(budget, spends, grants, nowMs)));
  const exhausted = standings.find((entry) => entry.budget.hard && entry.used >= entry.limit);
  return exhausted === undefined ? { allow: true, standings } : { allow: false, reason: denyReason(exhausted), exhausted, standings };
}
