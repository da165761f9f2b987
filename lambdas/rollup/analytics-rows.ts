import { roundUsd } from './money.ts';
import { compareNullable } from './order.ts';
import type { AnalyticsActorDay } from './sources.ts';
import type { TeamAssignment } from './teams.ts';
import { normalizeEmail } from './teams.ts';
import type { AnalyticsRow } from './types.ts';

const NO_TOKENS = { input_tokens: 0, cache_read_tokens: 0, cache_write_tokens: 0, output_tokens: 0 } as const;
/** Who an actor is, as the rows show it: the normalized email of a person, the name of an API key. */
function actorName(actorDay: AnalyticsActorDay): string | null {
  return actorDay.actor.kind === 'user' ? normalizeEmail(actorDay.actor.email) : actorDay.actor.name;
}

const NO_ACTIVITY = { sessions: 0, lines_added: 0, lines_removed: 0, commits: 0, pull_requests: 0 } as const;

/**
 * The day's Analytics API actor-days as `claude_code_analytics` rows, kept beside the telemetry (never added
 * to it): per actor one row with a null model for its activity, then one row per model for tokens and cost.
 */
export function analyticsRows(actorDays: readonly AnalyticsActorDay[], teams: TeamAssignment): AnalyticsRow[] {
  // The API's page order is not a contract; the file's row order should not depend on it.
  const actors = [...actorDays].sort(
    (a, b) =>
      compareNullable(a.actor.kind, b.actor.kind) ||
      compareNullable(actorName(a), actorName(b)) ||
      compareNullable(a.customer_type, b.customer_type),
  );
  return actors.flatMap((actorDay): AnalyticsRow[] => {
    const email = actorDay.actor.kind === 'user' ? actorName(actorDay) : null;
    const actor = {
      actor_type: actorDay.actor.kind,
      user_email: email,
      api_key_name: actorDay.actor.kind === 'api_key' ? actorName(actorDay) : null,
      team: actorDay.actor.kind === 'user' ? teams.teamOf(email) : null,
      customer_type: actorDay.customer_type,
    };
    const activity: AnalyticsRow = {
      ...actor,
      model: null,
      ...NO_TOKENS,
      estimated_cost_usd: null,
      sessions: actorDay.sessions,
      lines_added: actorDay.lines_added,
      lines_removed: actorDay.lines_removed,
      commits: actorDay.commits,
      pull_requests: actorDay.pull_requests,
    };
    const models = [...actorDay.models].sort((a, b) => compareNullable(a.model, b.model)).map(
      (usage): AnalyticsRow => ({
        ...actor,
        model: usage.model,
        input_tokens: usage.input_tokens,
        cache_read_tokens: usage.cache_read_tokens,
        cache_write_tokens: usage.cache_write_tokens,
        output_tokens: usage.output_tokens,
        estimated_cost_usd: usage.estimated_cost_usd === null ? null : roundUsd(usage.estimated_cost_usd),
        ...NO_ACTIVITY,
      }),
    );
    return [activity, ...models];
  });
}
