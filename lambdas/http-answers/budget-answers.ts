import type { AlertLedger } from '../budgets/alerts/alert-ledger.ts';
import type { BudgetBook } from '../budgets/budget-book.ts';
import { decide } from '../budgets/decision.ts';
import type { Asker, BudgetStanding, Decision } from '../budgets/decision.ts';
import { scopeText } from '../budgets/definition.ts';
import type { SpendSource } from '../budgets/spend.ts';
import type { TeamDirectoryMap } from '../budgets/team-map.ts';
import { normalizeEmail } from '../rollup/teams.ts';
import { jsonAnswer } from './json-answer.ts';
import type { JsonAnswer } from './json-answer.ts';

/** What the budget routes read: the budgets, the spend, the teams, the alerts sent, the clock. */
export interface BudgetServices {
  readonly book: BudgetBook;
  readonly alerts: AlertLedger;
  readonly spends: SpendSource;
  readonly teams: TeamDirectoryMap;
  readonly now: () => number;
}

/** Its summary, for the log line, names the decision and the budget, never the hook's input. */
export type BudgetAnswer = JsonAnswer;

/** Where the decision API and Claude Code's `http` hook are served, beside /v1/metrics. */
export const DECISION_PATH = '/v1/budget/decision';
export const CLAUDE_CODE_HOOK_PATH = '/v1/hooks/claude-code';
/** Every budget's standing, for the usage board's budgets row: team credentials only. */
export const BUDGET_STATUS_PATH = '/v1/budgets';
/** Headers a Claude Code `http` hook sends (from `allowedEnvVars`): who is asking, and in which repo. */
export const USER_HEADER = 'seatmeter-user-email';
export const REPO_HEADER = 'seatmeter-repo';

function parseObject(body: Uint8Array): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(body));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const optionalText = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value.trim() : null);

/**
 * The asker's identity: a credential bound to a user speaks for that user only, so a developer's token cannot
 * ask about anyone else; an unbound one (the local server's shared token) takes the claimed email.
 */
function askerEmail(claimed: string | null, boundUserEmail: string | undefined): { email: string } | { error: string } {
  const bound = normalizeEmail(boundUserEmail ?? null);
  const email = normalizeEmail(claimed);
  if (bound !== null && email !== null && email !== bound) return { error: 'this credential may ask only about its own user' };
  const who = bound ?? email;
  return who === null ? { error: 'no user: send user_email (or the seatmeter-user-email header), or use a credential bound to a user' } : { email: who };
}

async function decideFor(claimed: { email: string | null; tool: string | null; repo: string | null }, boundUserEmail: string | undefined, services: BudgetServices): Promise<Decision | { error: string }> {
  const who = askerEmail(claimed.email, boundUserEmail);
  if ('error' in who) return who;
  const teams = await services.teams.current();
  const asker: Asker = { email: who.email, team: teams.teamOf(who.email), repo: claimed.repo, tool: claimed.tool };
  const [budgets, grants] = await Promise.all([services.book.budgets(), services.book.grants()]);
  return decide(budgets, asker, services.spends, grants, services.now());
}

/** Only the budgets that count the asker, so the answer says nothing of anyone else's spend. */
function standingJson(entry: BudgetStanding): Record<string, unknown> {
  return {
    name: entry.budget.name,
    scope: scopeText(entry.budget.scope),
    period: entry.period.key,
    unit: entry.budget.limit.unit,
    used: entry.used,
    limit: Number.isFinite(entry.limit) ? entry.limit : null,
    hard: entry.budget.hard,
    exhausted: entry.used >= entry.limit,
  };
}

/** `POST /v1/budget/decision` with `{"user_email","tool","repo"}`: allow or deny, the reason, and the figures. */
export async function answerDecision(body: Uint8Array, boundUserEmail: string | undefined, services: BudgetServices): Promise<BudgetAnswer> {
  const input = parseObject(body);
  if (input === null) return jsonAnswer(400, { error: 'the body must be a JSON object such as {"user_email":"dev@example.com","tool":"claude_code","repo":"acme/checkout"}' }, 'bad decision request');
  const decision = await decideFor({ email: optionalText(input.user_email), tool: optionalText(input.tool), repo: optionalText(input.repo) }, boundUserEmail, services);
  if ('error' in decision) return jsonAnswer(403, { error: decision.error }, 'decision refused');
  const budgets = decision.standings.map(standingJson);
  if (decision.allow) return jsonAnswer(200, { decision: 'allow', budgets }, 'allow');
  return jsonAnswer(200, { decision: 'deny', reason: decision.reason, budget: decision.exhausted.budget.name, budgets }, `deny ${decision.exhausted.budget.name}`);
}

/**
 * Claude Code's `http` hook: the hook input arrives as the body, and a 2xx JSON body is read like a command
 * hook's output (code.claude.com/docs/en/hooks, "HTTP hooks"). PreToolUse denies with
 * `hookSpecificOutput.permissionDecision`, UserPromptSubmit blocks with top-level `decision: "block"`; `{}`
 * lets the action through. The input's `prompt` is never read.
 */
export async function answerClaudeCodeHook(body: Uint8Array, headers: { readonly user: string | undefined; readonly repo: string | undefined }, boundUserEmail: string | undefined, services: BudgetServices): Promise<BudgetAnswer> {
  const input = parseObject(body);
  const event = optionalText(input?.hook_event_name);
  if (input === null || event === null) return jsonAnswer(400, { error: 'expected a Claude Code hook input with hook_event_name' }, 'bad hook input');
  const decision = await decideFor({ email: optionalText(headers.user), tool: 'claude_code', repo: optionalText(headers.repo) }, boundUserEmail, services);
  // A non-2xx answer lets the action through in Claude Code; say why in the body for whoever debugs the hook.
  if ('error' in decision) return jsonAnswer(403, { error: decision.error }, 'hook refused');
  if (decision.allow) return jsonAnswer(200, {}, `${event} allow`);
  const summary = `${event} deny ${decision.exhausted.budget.name}`;
  if (event === 'PreToolUse') return jsonAnswer(200, { hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: decision.reason } }, summary);
  if (event === 'UserPromptSubmit') return jsonAnswer(200, { decision: 'block', reason: decision.reason }, summary);
  // Other events cannot be blocked this way: no decision, and the log says the budget is exhausted.
  return jsonAnswer(200, {}, `${event} over ${decision.exhausted.budget.name}`);
}
