import type { BudgetBook } from '../budgets/budget-book.ts';
import type { AlertRecord } from '../budgets/alerts/alert-ledger.ts';
import { projectedUse } from '../budgets/alerts/alert-rules.ts';
import { grantScope, standing } from '../budgets/decision.ts';
import type { BudgetGrant } from '../budgets/decision.ts';
import { BudgetDefinitionError, budgetJson, parseBudget, parseBudgetFile } from '../budgets/definition.ts';
import type { BudgetAnswer, BudgetServices } from '../http-answers/budget-answers.ts';
import { jsonAnswer } from '../http-answers/json-answer.ts';

/**
 * `GET` lists the budgets with where each stands; `PUT` sets one budget, or every budget of a budgets.json;
 * `DELETE /api/budgets/<name>` removes one; `POST /api/budgets/grants` records an exemption.
 */
export const BUDGETS_API_PATH = '/api/budgets';
export const GRANTS_API_PATH = `${BUDGETS_API_PATH}/grants`;

/** Sets (adds or replaces by name) the budget in the body, or each one of a `{"budgets": [...]}` body. */
export async function putBudgets(body: Uint8Array, book: BudgetBook): Promise<BudgetAnswer> {
  const text = new TextDecoder().decode(body);
  try {
    const parsed: unknown = JSON.parse(text);
    const budgets = typeof parsed === 'object' && parsed !== null && 'budgets' in parsed ? parseBudgetFile(text, 'the body') : [parseBudget(parsed)];
    for (const budget of budgets) await book.put(budget);
    return jsonAnswer(200, { set: budgets.map((budget) => budget.name) }, `set ${budgets.length}`);
  } catch (error) {
    if (error instanceof SyntaxError || error instanceof BudgetDefinitionError) return jsonAnswer(400, { error: error.message }, 'bad budget');
    throw error;
  }
}

const objectOf = (text: string): Record<string, unknown> | null => {
  const value: unknown = JSON.parse(text);
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
};

/**
 * Records `{"target","until_ms","extra_usd","granted_by","reason"}`: who exempted what, until when and why.
 * The target is a budget's name or a scope; one that names no budget and is no scope is refused, so a typo
 * is not an exemption that silently does nothing.
 */
export async function postGrant(body: Uint8Array, book: BudgetBook, nowMs: number): Promise<BudgetAnswer> {
  let input: Record<string, unknown> | null;
  try {
    input = objectOf(new TextDecoder().decode(body));
  } catch {
    input = null;
  }
  if (input === null) return jsonAnswer(400, { error: 'the body must be a JSON object with target, until_ms, granted_by and reason' }, 'bad grant');
  const { target, until_ms: untilMs, extra_usd: extraUsd, granted_by: grantedBy, reason } = input;
  const problem =
    typeof target !== 'string' || target.trim() === ''
      ? 'target must name a budget or a scope'
      : typeof untilMs !== 'number' || !Number.isSafeInteger(untilMs) || untilMs <= nowMs
        ? 'until_ms must be a time in the future (epoch milliseconds)'
        : extraUsd !== undefined && extraUsd !== null && (typeof extraUsd !== 'number' || !Number.isFinite(extraUsd) || extraUsd <= 0)
          ? 'extra_usd must be a number above 0, or absent to lift the limit'
          : typeof grantedBy !== 'string' || grantedBy.trim() === ''
            ? 'granted_by must say who grants it'
            : typeof reason !== 'string' || reason.trim() === ''
              ? 'reason must say why (an incident, a ticket)'
              : null;
  if (problem !== null) return jsonAnswer(400, { error: problem }, 'bad grant');
  const name = (target as string).trim();
  const scope = grantScope(name);
  if (scope === null && !(await book.budgets()).some((budget) => budget.name === name)) {
    return jsonAnswer(400, { error: `target "${name}" is neither a budget's name nor a scope (org, team:<name>, user:<email>, repo:<owner/name>)` }, 'bad grant');
  }
  const grant = { target: name, untilMs: untilMs as number, extraUsd: typeof extraUsd === 'number' ? extraUsd : null, grantedBy: (grantedBy as string).trim(), reason: (reason as string).trim() };
  await book.grant(grant, nowMs);
  return jsonAnswer(200, { granted: grantJson(grant) }, `grant ${grant.target}`);
}

const grantJson = (grant: BudgetGrant): GrantJson => ({ target: grant.target, until: new Date(grant.untilMs).toISOString(), extra_usd: grant.extraUsd, granted_by: grant.grantedBy, reason: grant.reason });

/** The grants still in force. */
export function grantsJson(grants: readonly BudgetGrant[], nowMs: number): GrantJson[] {
  return grants.filter((grant) => grant.untilMs > nowMs).map(grantJson);
}

/** Removes the budget of that name and its grants. */
export async function deleteBudget(name: string, book: BudgetBook): Promise<BudgetAnswer> {
  return (await book.remove(name)) ? jsonAnswer(200, { removed: name }, `removed ${name}`) : jsonAnswer(404, { error: `no budget named "${name}"` }, 'no such budget');
}

export const isBudgetApiPath = (pathname: string): boolean => pathname === BUDGETS_API_PATH || pathname.startsWith(`${BUDGETS_API_PATH}/`);

/**
 * The budget API, served by the local server and run in-process by `seatmeter budget` when no server holds
 * the data directory; null when the method is not one of the path's.
 */
/** What the budget API reads: no team map, which only decisions need. */
export type BudgetApiServices = Omit<BudgetServices, 'teams'>;

export async function answerBudgetApi(method: string | undefined, pathname: string, body: Uint8Array, services: BudgetApiServices): Promise<BudgetAnswer | null> {
  if (method === 'GET' && pathname === BUDGETS_API_PATH) return jsonAnswer(200, await budgetStatus(services), 'status');
  if (method === 'GET' && pathname === GRANTS_API_PATH) return jsonAnswer(200, grantsJson(await services.book.grants(), services.now()), 'grants');
  if (method === 'PUT' && pathname === BUDGETS_API_PATH) return putBudgets(body, services.book);
  if (method === 'POST' && pathname === GRANTS_API_PATH) return postGrant(body, services.book, services.now());
  if (method === 'DELETE' && pathname.startsWith(`${BUDGETS_API_PATH}/`)) return deleteBudget(decodeURIComponent(pathname.slice(BUDGETS_API_PATH.length + 1)), services.book);
  return null;
}

export interface GrantJson {
  readonly target: string;
  readonly until: string;
  readonly extra_usd: number | null;
  readonly granted_by: string;
  readonly reason: string;
}

export interface AlertJson {
  readonly key: string;
  readonly kind: string;
  readonly subject: string;
  readonly at: string;
  readonly state: 'delivered' | 'failed' | 'sending';
  readonly failure: string | null;
}

/** One budget as `GET /api/budgets` shows it: `budget status`, `budget list` and the local page read this. */
export interface BudgetStatusEntry {
  readonly name: string;
  readonly scope: string;
  readonly tool?: string;
  readonly model?: string;
  readonly period: string;
  readonly time_zone: string;
  readonly limit_usd?: number;
  readonly limit_tokens?: number;
  readonly soft: readonly number[];
  readonly hard: boolean;
  readonly owner?: string;
  /** Whether the budget's alerts go to a webhook of its own (its URL, a secret, is never shown). */
  readonly own_slack_webhook: boolean;
  readonly period_key: string;
  readonly used: number;
  /** The limit in force, a grant's extra included; null while a grant lifts it. */
  readonly limit: number | null;
  readonly used_fraction: number | null;
  readonly projected: number | null;
  readonly unpriced_tokens: number;
  readonly state: 'ok' | 'warning' | 'over' | 'capped';
  readonly grant: GrantJson | null;
  readonly last_alert: AlertJson | null;
}

function alertJson(alert: AlertRecord | undefined): AlertJson | null {
  if (alert === undefined) return null;
  return {
    key: alert.key,
    kind: alert.kind,
    subject: alert.message.subject,
    at: new Date(alert.claimedAtMs).toISOString(),
    state: alert.deliveredAtMs !== null ? 'delivered' : alert.failure !== null ? 'failed' : 'sending',
    failure: alert.failure,
  };
}

/** Every budget, its period, spend, limit and share used now: what `seatmeter budget status` prints. */
export async function budgetStatus(services: BudgetApiServices): Promise<BudgetStatusEntry[]> {
  const [budgets, grants, alerts] = await Promise.all([services.book.budgets(), services.book.grants(), services.alerts.latest()]);
  const lastAlert = new Map(alerts.map((alert) => [alert.budget, alert]));
  const now = services.now();
  return Promise.all(
    budgets.map(async (budget) => {
      const entry = await standing(budget, services.spends, grants, now);
      const limit = Number.isFinite(entry.limit) ? entry.limit : null;
      const { slack_webhook_url: webhook, ...definition } = budgetJson(budget);
      return {
        ...(definition as Omit<BudgetStatusEntry, 'own_slack_webhook' | 'period_key' | 'used' | 'limit' | 'used_fraction' | 'projected' | 'unpriced_tokens' | 'state' | 'grant' | 'last_alert'>),
        own_slack_webhook: webhook !== undefined,
        period_key: entry.period.key,
        used: entry.used,
        limit,
        used_fraction: limit === null ? null : entry.used / limit,
        projected: limit === null ? null : projectedUse(entry, now),
        unpriced_tokens: entry.spend.unpricedTokens,
        state: entry.used >= entry.limit ? (budget.hard ? 'capped' : 'over') : budget.soft.some((fraction) => entry.used >= fraction * entry.limit) ? 'warning' : 'ok',
        grant: entry.grant === null ? null : grantJson(entry.grant),
        last_alert: alertJson(lastAlert.get(budget.name)),
      };
    }),
  );
}
