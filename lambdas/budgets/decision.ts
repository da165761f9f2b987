import type { Budget, BudgetScope } from './definition.ts';
import { BudgetDefinitionError, parseScope, scopeText } from './definition.ts';
import { periodAt } from './period.ts';
import type { Period } from './period.ts';
import type { Spend, SpendSource } from './spend.ts';

/**
 * A temporary exemption: until `untilMs`, the limit is raised by `extraUsd`, or lifted when null. `target`
 * is a budget's name, or a scope: every budget of that scope, and (for a user, team or repo) every budget
 * that counts them while they are the one asking, so on-call exempts a person without knowing the budgets.
 */
export interface BudgetGrant {
  readonly target: string;
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

function scopeCounts(scope: BudgetScope, asker: Asker): boolean {
  switch (scope.kind) {
    case 'org':
      return true;
    case 'team':
      return asker.team === scope.team;
    case 'user':
      return asker.email === scope.email;
    case 'repo':
      return asker.repo === scope.repo;
  }
}

/** Whether the budget counts the asker's spend: its scope names them, their team or their repo. */
export function applies(budget: Budget, asker: Asker): boolean {
  if (budget.tool !== null && asker.tool !== null && budget.tool !== asker.tool) return false;
  return scopeCounts(budget.scope, asker);
}

/** The scope a grant's target names, or null when it names a budget. */
export function grantScope(target: string): BudgetScope | null {
  try {
    return parseScope(target);
  } catch (error) {
    if (error instanceof BudgetDefinitionError) return null;
    throw error;
  }
}

function covers(grant: BudgetGrant, budget: Budget, asker: Asker | null): boolean {
  if (grant.target === budget.name) return true;
  const scope = grantScope(grant.target);
  if (scope === null) return false;
  if (scopeText(scope) === scopeText(budget.scope)) return true;
  return asker !== null && scope.kind !== 'org' && scopeCounts(scope, asker);
}

function activeGrant(budget: Budget, grants: readonly BudgetGrant[], nowMs: number, asker: Asker | null): BudgetGrant | null {
  const active = grants.filter((grant) => grant.untilMs > nowMs && covers(grant, budget, asker));
  // A lifting grant wins; otherwise the largest extra.
  return active.find((grant) => grant.extraUsd === null) ?? active.sort((a, b) => (b.extraUsd ?? 0) - (a.extraUsd ?? 0))[0] ?? null;
}

/** Where the budget stands now: its period, what was spent in it, and the limit in force (for the asker, if one asks). */
export async function standing(budget: Budget, spends: SpendSource, grants: readonly BudgetGrant[], nowMs: number, asker: Asker | null = null): Promise<BudgetStanding> {
  const period = periodAt(budget.period, budget.timeZone, nowMs);
  const spend = await spends.spend({ scope: budget.scope, tool: budget.tool, model: budget.model, startMs: period.startMs, endMs: period.endMs });
  const grant = activeGrant(budget, grants, nowMs, asker);
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
  const standings = await Promise.all(relevant.map((budget) => standing(budget, spends, grants, nowMs, asker)));
  const exhausted = standings.find((entry) => entry.budget.hard && entry.used >= entry.limit);
  return exhausted === undefined ? { allow: true, standings } : { allow: false, reason: denyReason(exhausted), exhausted, standings };
}
