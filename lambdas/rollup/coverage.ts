import { claudeCode } from '../normalize/claude-code/index.ts';
import { sumOrNull } from './money.ts';
import type { AnalyticsActorDay } from './sources.ts';
import type { TeamAssignment } from './teams.ts';
import { normalizeEmail } from './teams.ts';
import type { Coverage, CoverageRow, TeamUsageRow } from './types.ts';

interface Side {
  tokens: number;
  readonly costs: (number | null)[];
}

function sideOf(sides: Map<string, Side>, email: string): Side {
  let side = sides.get(email);
  if (side === undefined) {
    side = { tokens: 0, costs: [] };
    sides.set(email, side);
  }
  return side;
}

/** (telemetry − analytics) / analytics, or null where there is nothing to compare against. */
function drift(telemetry: number | null, analytics: number | null): number | null {
  if (telemetry === null || analytics === null || analytics === 0) return null;
  return (telemetry - analytics) / analytics;
}

/**
 * Reconciles each person's Claude Code day between telemetry (the team rows, re-priced) and the Analytics
 * API. The two are compared, never added: `both` with a drift ratio where each saw the person,
 * `telemetry_only` where Anthropic did not (Bedrock or Vertex usage, which the API leaves out), and
 * `analytics_only` where usage reached Anthropic but not seatmeter (telemetry not set up, or dropped). Usage
 * without an email, and API-key actors, have no person to reconcile and are left out. Without an admin key
 * (`actorDays` null) there is nothing to compare against: each person seen is `not_configured`.
 */
export function coverageRows(usage: readonly TeamUsageRow[], actorDays: readonly AnalyticsActorDay[] | null, teams: TeamAssignment): CoverageRow[] {
  const telemetry = new Map<string, Side>();
  for (const row of usage) {
    if (row.tool !== claudeCode.tool || row.user_email === null) continue;
    const side = sideOf(telemetry, row.user_email);
    side.tokens += row.input_tokens + row.cache_read_tokens + row.cache_write_tokens + row.output_tokens;
    side.costs.push(row.estimated_cost_usd);
  }
  const analytics = new Map<string, Side>();
  for (const actorDay of actorDays ?? []) {
    const email = actorDay.actor.kind === 'user' ? normalizeEmail(actorDay.actor.email) : null;
    if (email === null) continue;
    const side = sideOf(analytics, email);
    for (const model of actorDay.models) {
      side.tokens += model.input_tokens + model.cache_read_tokens + model.cache_write_tokens + model.output_tokens;
      side.costs.push(model.estimated_cost_usd);
    }
  }
  const emails = [...new Set([...telemetry.keys(), ...analytics.keys()])].sort();
  return emails.map((email): CoverageRow => {
    const seen = telemetry.get(email);
    const reported = analytics.get(email);
    const coverage: Coverage = actorDays === null ? 'not_configured' : seen === undefined ? 'analytics_only' : reported === undefined ? 'telemetry_only' : 'both';
    const telemetryCost = seen === undefined ? null : sumOrNull(seen.costs);
    const analyticsCost = reported === undefined ? null : sumOrNull(reported.costs);
    return {
      user_email: email,
      team: teams.teamOf(email),
      coverage,
      telemetry_tokens: seen?.tokens ?? 0,
      telemetry_estimated_cost_usd: telemetryCost,
      analytics_tokens: reported?.tokens ?? 0,
      analytics_estimated_cost_usd: analyticsCost,
      drift_ratio: seen === undefined || reported === undefined ? null : drift(seen.tokens, reported.tokens),
      cost_drift_ratio: drift(telemetryCost, analyticsCost),
    };
  });
}
