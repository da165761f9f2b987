import type { FeatureOf } from '../features/day-features.ts';
import type { Pricer } from '../pricing/types.ts';
import type { TokenCounts } from '../records/types.ts';
import { ZERO_TOKENS, billableTokens } from '../records/types.ts';
import { roundUsd } from './money.ts';
import { compareNullable } from './order.ts';
import type { TeamAssignment } from './teams.ts';
import { normalizeEmail } from './teams.ts';
import type { DayUsage, SessionKey, TeamActivity, TeamUsageRow, UsageKey, UsageLine } from './types.ts';
import { TEAM_ACTIVITY } from './types.ts';

/** The team table's grain before the team is added: a usage key and the feature its sessions went to. */
interface FeatureKey extends UsageKey {
  readonly feature: string;
}

interface Totals {
  readonly key: FeatureKey;
  readonly lines: UsageLine[];
  readonly tokens: { -readonly [K in keyof TokenCounts]: number };
  cost: number;
  unpriced: boolean;
  unpricedTokens: number;
  reported: number | null;
  readonly versions: Set<string>;
  readonly sessions: Set<string>;
  readonly activity: Record<TeamActivity, number>;
}

const NO_ACTIVITY: Readonly<Record<TeamActivity, number>> = { requests: 0, lines_added: 0, lines_removed: 0, commits: 0, pull_requests: 0, active_time_s: 0 };

function compareKeys(a: FeatureKey, b: FeatureKey): number {
  return (
    compareNullable(a.user_email, b.user_email) ||
    compareNullable(a.tool, b.tool) ||
    compareNullable(a.model, b.model) ||
    compareNullable(a.repo, b.repo) ||
    compareNullable(a.feature, b.feature)
  );
}

/** A total order on one key's lines, so that costs are summed in the same order however the store returned them. */
function compareLines(a: UsageLine, b: UsageLine): number {
  return (
    a.time_ms - b.time_ms ||
    a.input_tokens - b.input_tokens ||
    a.cache_read_tokens - b.cache_read_tokens ||
    a.cache_write_tokens - b.cache_write_tokens ||
    a.output_tokens - b.output_tokens ||
    a.reasoning_tokens - b.reasoning_tokens ||
    (a.reported_cost_usd ?? -1) - (b.reported_cost_usd ?? -1)
  );
}

/**
 * Activity values are doubles in the store: counts are written as whole numbers, active time to the
 * millisecond (so the order the store summed in cannot change the bytes).
 */
function countsOf(activity: Readonly<Record<TeamActivity, number>>): Record<TeamActivity, number> {
  const out = { ...activity };
  for (const name of Object.keys(out) as TeamActivity[]) out[name] = Math.round(out[name]);
  out.active_time_s = Math.round(activity.active_time_s * 1000) / 1000;
  return out;
}

/** One string per key: control characters, which no email, tool, model, repo or feature holds, separate and stand for null. */
function keyId(key: FeatureKey): string {
  return `${key.user_email ?? '\0'}\u0001${key.tool}\u0001${key.model ?? '\0'}\u0001${key.repo ?? '\0'}\u0001${key.feature}`;
}

function addTokens(sum: { -readonly [K in keyof TokenCounts]: number }, add: TokenCounts): void {
  sum.input_tokens += add.input_tokens;
  sum.cache_read_tokens += add.cache_read_tokens;
  sum.cache_write_tokens += add.cache_write_tokens;
  sum.output_tokens += add.output_tokens;
  sum.reasoning_tokens += add.reasoning_tokens;
}


/**
 * The day's `team_usage` rows: the store's usage per (user, tool, model, repo, feature) with emails
 * normalized, each line re-priced with today's price data, sessions and activity alongside, and the user's
 * team. Each session's usage goes to the one feature `featureOf` gives it, so the rows of all features sum to
 * the day. Token sums are the store's exactly; only the cost is new.
 */
export function teamUsageRows(day: DayUsage, teams: TeamAssignment, pricer: Pricer, featureOf: FeatureOf): TeamUsageRow[] {
  const totals = new Map<string, Totals>();
  const totalsOf = (source: SessionKey): Totals => {
    const key: FeatureKey = { user_email: normalizeEmail(source.user_email), tool: source.tool, model: source.model, repo: source.repo, feature: featureOf(source) };
    const id = keyId(key);
    let found = totals.get(id);
    if (found === undefined) {
      found = {
        key,
        lines: [],
        tokens: { ...ZERO_TOKENS },
        cost: 0,
        unpriced: false,
        unpricedTokens: 0,
        reported: null,
        versions: new Set(),
        sessions: new Set(),
        activity: { ...NO_ACTIVITY },
      };
      totals.set(id, found);
    }
    return found;
  };

  for (const line of day.lines) totalsOf(line).lines.push(line);
  for (const total of totals.values()) {
    for (const line of total.lines.sort(compareLines)) {
      addTokens(total.tokens, line);
      if (line.reported_cost_usd !== null) total.reported = (total.reported ?? 0) + line.reported_cost_usd;
      const quote = pricer.price(line.model, line, line.time_ms);
      if (quote.estimated_cost_usd === null) {
        total.unpriced = true;
        total.unpricedTokens += billableTokens(line);
      } else total.cost += quote.estimated_cost_usd;
      if (quote.price_version !== null) total.versions.add(quote.price_version);
    }
  }
  for (const entry of day.sessions) totalsOf(entry).sessions.add(entry.session_id);
  for (const entry of day.activity) totalsOf(entry).activity[TEAM_ACTIVITY[entry.metric]] += entry.value;

  return [...totals.values()]
    .map(
      (total): TeamUsageRow => ({
        team: teams.teamOf(total.key.user_email),
        ...total.key,
        ...total.tokens,
        estimated_cost_usd: total.unpriced ? null : roundUsd(total.cost),
        reported_cost_usd: total.reported === null ? null : roundUsd(total.reported),
        price_version: total.versions.size === 0 ? null : [...total.versions].sort().join(' '),
        sessions: total.sessions.size,
        unpriced_tokens: total.unpricedTokens,
        ...countsOf(total.activity),
      }),
    )
    .sort((a, b) => compareNullable(a.team, b.team) || compareKeys(a, b));
}
