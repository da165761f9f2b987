import { PERIOD_KINDS, isTimeZone } from './period.ts';
import type { PeriodKind } from './period.ts';

/** Whose spend a budget counts. A user is named by email, a repo as `owner/name`. */
export type BudgetScope =
  | { readonly kind: 'org' }
  | { readonly kind: 'team'; readonly team: string }
  | { readonly kind: 'user'; readonly email: string }
  | { readonly kind: 'repo'; readonly repo: string };

export type BudgetLimit = { readonly unit: 'usd'; readonly amount: number } | { readonly unit: 'tokens'; readonly amount: number };

export interface Budget {
  /** Unique; what alerts, the deny reason and `budget rm` name. */
  readonly name: string;
  readonly scope: BudgetScope;
  /** Counts only this tool's or model's spend within the scope. */
  readonly tool: string | null;
  readonly model: string | null;
  readonly period: PeriodKind;
  /** IANA zone the period's days start in. */
  readonly timeZone: string;
  readonly limit: BudgetLimit;
  /** Fractions of the limit that alert once per period, ascending, each in (0, 1). */
  readonly soft: readonly number[];
  /** At 100 %: refuse the next tool call or prompt through the clients' hooks, or only alert. */
  readonly hard: boolean;
  /** Incoming-webhook URL for this budget's alerts; the deployment's default when null. */
  readonly slackWebhookUrl: string | null;
  /** Who can raise the limit or grant an exemption: shown to a developer who is capped. */
  readonly owner: string | null;
}

/** A budget's definition (or a budgets file) that cannot be used; the message names the field. */
export class BudgetDefinitionError extends Error {
  override readonly name = 'BudgetDefinitionError';
}

const FIELDS = ['name', 'scope', 'tool', 'model', 'period', 'time_zone', 'limit_usd', 'limit_tokens', 'soft', 'hard', 'slack_webhook_url', 'owner'] as const;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const EMAIL = /^[^\s@]+@[^\s@]+$/;
const REPO = /^[^\s/]+\/[^\s/]+$/;

/** Reads `scope` as written: `org`, `team:<name>`, `user:<email>` or `repo:<owner/name>`. */
export function parseScope(text: string, where = 'scope'): BudgetScope {
  const value = text.trim();
  if (value === 'org') return { kind: 'org' };
  const colon = value.indexOf(':');
  const kind = colon === -1 ? value : value.slice(0, colon);
  const rest = colon === -1 ? '' : value.slice(colon + 1).trim();
  if (kind === 'team' && rest !== '') return { kind: 'team', team: rest };
  if (kind === 'user' && EMAIL.test(rest)) return { kind: 'user', email: rest.toLowerCase() };
  if (kind === 'repo' && REPO.test(rest)) return { kind: 'repo', repo: rest };
  throw new BudgetDefinitionError(`${where}: "${text}" is not org, team:<name>, user:<email> or repo:<owner/name>`);
}

export function scopeText(scope: BudgetScope): string {
  switch (scope.kind) {
    case 'org':
      return 'org';
    case 'team':
      return `team:${scope.team}`;
    case 'user':
      return `user:${scope.email}`;
    case 'repo':
      return `repo:${scope.repo}`;
  }
}

function text(input: Readonly<Record<string, unknown>>, field: string, where: string): string | null {
  const value = input[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.trim() === '') throw new BudgetDefinitionError(`${where}.${field} must be a non-empty string`);
  return value.trim();
}

function positive(value: unknown, field: string, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw new BudgetDefinitionError(`${where}.${field} must be a number above 0, got ${JSON.stringify(value)}`);
  return value;
}

function webhookUrl(value: string | null, where: string): string | null {
  if (value === null) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new BudgetDefinitionError(`${where}.slack_webhook_url is not a URL`);
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) throw new BudgetDefinitionError(`${where}.slack_webhook_url must be https`);
  return url.href;
}

/** Validates one budget as `budgets.json` writes it (schemas/budgets.schema.json); `where` prefixes each error. */
export function parseBudget(input: unknown, where = 'budget'): Budget {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new BudgetDefinitionError(`${where} must be an object`);
  const fields = input as Readonly<Record<string, unknown>>;
  const unknown = Object.keys(fields).filter((field) => !(FIELDS as readonly string[]).includes(field));
  if (unknown.length > 0) throw new BudgetDefinitionError(`${where}: unknown field ${unknown.map((field) => `"${field}"`).join(', ')}; the fields are ${FIELDS.join(', ')}`);
  const name = text(fields, 'name', where);
  if (name === null || !NAME.test(name)) throw new BudgetDefinitionError(`${where}.name must be 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit`);
  const at = `budget "${name}"`;
  const scopeValue = text(fields, 'scope', at);
  if (scopeValue === null) throw new BudgetDefinitionError(`${at}.scope is required: org, team:<name>, user:<email> or repo:<owner/name>`);
  // Any GenAI app's service.name is a tool, so any name is allowed: claude_code, codex, gemini_cli, …
  const tool = text(fields, 'tool', at);
  const period = fields.period ?? 'month';
  if (typeof period !== 'string' || !(PERIOD_KINDS as readonly string[]).includes(period)) throw new BudgetDefinitionError(`${at}.period must be day, week or month, got ${JSON.stringify(period)}`);
  const timeZone = text(fields, 'time_zone', at) ?? 'UTC';
  if (!isTimeZone(timeZone)) throw new BudgetDefinitionError(`${at}.time_zone "${timeZone}" is not an IANA time zone such as Europe/Berlin`);
  const hasUsd = fields.limit_usd !== undefined;
  if (hasUsd === (fields.limit_tokens !== undefined)) throw new BudgetDefinitionError(`${at} needs exactly one of limit_usd and limit_tokens`);
  const limit: BudgetLimit = hasUsd ? { unit: 'usd', amount: positive(fields.limit_usd, 'limit_usd', at) } : { unit: 'tokens', amount: positive(fields.limit_tokens, 'limit_tokens', at) };
  if (limit.unit === 'tokens' && !Number.isSafeInteger(limit.amount)) throw new BudgetDefinitionError(`${at}.limit_tokens must be a whole number`);
  const soft = fields.soft ?? [0.7];
  if (!Array.isArray(soft) || soft.some((fraction) => typeof fraction !== 'number' || !(fraction > 0 && fraction < 1))) {
    throw new BudgetDefinitionError(`${at}.soft must be a list of fractions between 0 and 1 (0.7 is 70 %), got ${JSON.stringify(soft)}`);
  }
  const hard = fields.hard ?? true;
  if (typeof hard !== 'boolean') throw new BudgetDefinitionError(`${at}.hard must be true or false`);
  return {
    name,
    scope: parseScope(scopeValue, `${at}.scope`),
    tool,
    model: text(fields, 'model', at),
    period: period as PeriodKind,
    timeZone,
    limit,
    soft: [...new Set(soft as number[])].sort((a, b) => a - b),
    hard,
    slackWebhookUrl: webhookUrl(text(fields, 'slack_webhook_url', at), at),
    owner: text(fields, 'owner', at),
  };
}

/** The budget in its file form, the inverse of parseBudget. */
export function budgetJson(budget: Budget): Record<string, unknown> {
  return {
    name: budget.name,
    scope: scopeText(budget.scope),
    ...(budget.tool === null ? {} : { tool: budget.tool }),
    ...(budget.model === null ? {} : { model: budget.model }),
    period: budget.period,
    time_zone: budget.timeZone,
    ...(budget.limit.unit === 'usd' ? { limit_usd: budget.limit.amount } : { limit_tokens: budget.limit.amount }),
    soft: budget.soft,
    hard: budget.hard,
    ...(budget.slackWebhookUrl === null ? {} : { slack_webhook_url: budget.slackWebhookUrl }),
    ...(budget.owner === null ? {} : { owner: budget.owner }),
  };
}

/** Reads a `budgets.json`: `{"budgets": [...]}` with unique names. */
export function parseBudgetFile(textContent: string, file: string): Budget[] {
  let json: unknown;
  try {
    json = JSON.parse(textContent);
  } catch (error) {
    throw new BudgetDefinitionError(`${file} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const list = typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>).budgets : undefined;
  if (!Array.isArray(list)) throw new BudgetDefinitionError(`${file} must hold {"budgets": [ ... ]}`);
  const budgets = list.map((entry, index) => parseBudget(entry, `${file}: budgets[${index}]`));
  const names = new Set<string>();
  for (const budget of budgets) {
    if (names.has(budget.name)) throw new BudgetDefinitionError(`${file}: two budgets are named "${budget.name}"`);
    names.add(budget.name);
  }
  return budgets;
}
