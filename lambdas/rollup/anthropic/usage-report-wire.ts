import type { AnalyticsActorDay, AnalyticsModelUsage } from '../sources.ts';
import { WireFieldError, amountAt, arrayAt, booleanAt, countAt, emailAt, objectAt, oneOfAt, stringAt } from '../wire-fields.ts';

/**
 * The wire shape of `GET /v1/organizations/usage_report/claude_code`, checked field by field and turned into
 * the port's actor-days. Fields the rollup does not use (tool_actions, terminal_type…) are not checked, so
 * that an addition to them cannot fail a run.
 */

export interface UsageReportPage {
  readonly actorDays: readonly AnalyticsActorDay[];
  /** The cursor for the next page, or null on the last one. */
  readonly nextPage: string | null;
}

const CUSTOMER_TYPES = ['api', 'subscription'] as const;
const ACTOR_TYPES = ['user_actor', 'api_actor'] as const;

// The reference documents "YYYY-MM-DD"; the guide's examples show midnight UTC in RFC 3339. Both mean the day.
const DATE = /^(\d{4}-\d{2}-\d{2})(?:T00:00:00(?:\.0+)?(?:Z|[+-]00:00))?$/;

function dateAt(value: unknown, path: string, day: string): string {
  const match = DATE.exec(stringAt(value, path));
  if (match?.[1] !== day) throw new WireFieldError(`${path}: expected the day asked for, ${day}, got ${JSON.stringify(value)}`);
  return day;
}

function actorAt(value: unknown, path: string): AnalyticsActorDay['actor'] {
  const actor = objectAt(value, path);
  if (oneOfAt(actor.type, `${path}.type`, ACTOR_TYPES) === 'user_actor') {
    return { kind: 'user', email: emailAt(actor.email_address, `${path}.email_address`) };
  }
  return { kind: 'api_key', name: stringAt(actor.api_key_name, `${path}.api_key_name`) };
}

function costUsdAt(value: unknown, path: string): number | null {
  if (value === undefined || value === null) return null;
  const cost = objectAt(value, path);
  oneOfAt(cost.currency, `${path}.currency`, ['USD']);
  // Minor units: 186 is $1.86.
  return amountAt(cost.amount, `${path}.amount`) / 100;
}

function modelAt(value: unknown, path: string): AnalyticsModelUsage {
  const line = objectAt(value, path);
  const tokens = objectAt(line.tokens, `${path}.tokens`);
  return {
    model: stringAt(line.model, `${path}.model`),
    input_tokens: countAt(tokens.input, `${path}.tokens.input`),
    output_tokens: countAt(tokens.output, `${path}.tokens.output`),
    cache_read_tokens: countAt(tokens.cache_read, `${path}.tokens.cache_read`),
    cache_write_tokens: countAt(tokens.cache_creation, `${path}.tokens.cache_creation`),
    estimated_cost_usd: costUsdAt(line.estimated_cost, `${path}.estimated_cost`),
  };
}

function actorDayAt(value: unknown, path: string, day: string): AnalyticsActorDay {
  const item = objectAt(value, path);
  const core = objectAt(item.core_metrics, `${path}.core_metrics`);
  const lines = objectAt(core.lines_of_code, `${path}.core_metrics.lines_of_code`);
  return {
    day: dateAt(item.date, `${path}.date`, day),
    actor: actorAt(item.actor, `${path}.actor`),
    customer_type: oneOfAt(item.customer_type, `${path}.customer_type`, CUSTOMER_TYPES),
    sessions: countAt(core.num_sessions, `${path}.core_metrics.num_sessions`),
    lines_added: countAt(lines.added, `${path}.core_metrics.lines_of_code.added`),
    lines_removed: countAt(lines.removed, `${path}.core_metrics.lines_of_code.removed`),
    commits: countAt(core.commits_by_claude_code, `${path}.core_metrics.commits_by_claude_code`),
    pull_requests: countAt(core.pull_requests_by_claude_code, `${path}.core_metrics.pull_requests_by_claude_code`),
    models: arrayAt(item.model_breakdown, `${path}.model_breakdown`).map((line, index) => modelAt(line, `${path}.model_breakdown[${index}]`)),
  };
}

/** One page of the report for `day`; throws a WireFieldError naming the first field that is not as documented. */
export function parseUsageReportPage(json: unknown, day: string): UsageReportPage {
  const page = objectAt(json, 'body');
  const actorDays = arrayAt(page.data, 'data').map((item, index) => actorDayAt(item, `data[${index}]`, day));
  const nextPage = booleanAt(page.has_more, 'has_more') ? stringAt(page.next_page, 'next_page') : null;
  return { actorDays, nextPage };
}
