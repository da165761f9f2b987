import { AnthropicClaudeCodeAnalytics } from './anthropic/analytics-source.ts';
import { anthropicSettings } from './anthropic/credentials.ts';
import type { RetryPolicy } from './http-retry.ts';
import { oktaSettings } from './okta/credentials.ts';
import { OktaTeamDirectory } from './okta/team-directory.ts';
import { PartnerConfigError } from './partner-errors.ts';
import { envValue } from '../config/env.ts';
import type { ClaudeCodeAnalyticsSource, TeamDirectory, TeamGroupRule } from './sources.ts';
import { parseTeamGroupRule } from './team-rule.ts';

/** The rollup's partner sources and the rule that picks team groups: what `--team-groups` and the environment configure. */
export interface RollupPartners {
  readonly analytics: ClaudeCodeAnalyticsSource;
  readonly directory: TeamDirectory;
  /** Null when no team directory is configured: everyone is `unassigned`. */
  readonly teamRule: TeamGroupRule | null;
}

/** Environment variables naming the secrets the CDK stack creates; without them the plain variables are read. */
export const ANTHROPIC_SECRET_ENV = 'SEATMETER_ANTHROPIC_SECRET_ID';
export const OKTA_SECRET_ENV = 'SEATMETER_OKTA_SECRET_ID';

/**
 * Builds a client on first use and keeps it; a failed build is not kept, so a warm Lambda whose secret was
 * still empty yesterday reads it again today.
 */
function once<T>(build: () => Promise<T>): () => Promise<T> {
  let built: T | undefined;
  return async () => (built ??= await build());
}

/**
 * The Claude Code Analytics API client, the Okta directory client and the team rule (from `teamGroups`, else
 * SEATMETER_TEAM_GROUPS), for the CLI and the Lambda alike. The rule is checked now; the credentials on the
 * first call, because reading a secret is asynchronous — and a missing one fails that run, naming what to set.
 */
export function rollupPartnersFrom(env: NodeJS.ProcessEnv, teamGroups: string | undefined, retry: Partial<RetryPolicy> = {}): RollupPartners {
  const ruleText = teamGroups ?? envValue(env, 'SEATMETER_TEAM_GROUPS');
  // An Okta org without a rule is a directory half set up: loud, not silently "everyone unassigned".
  if (ruleText === null && envValue(env, 'OKTA_ORG_URL') !== null) {
    throw new PartnerConfigError('no team rule: pass --team-groups or set SEATMETER_TEAM_GROUPS (prefix:<start of the group names>, or a comma-separated list)');
  }
  const teamRule = ruleText === null ? null : parseTeamGroupRule(ruleText, teamGroups === undefined ? 'SEATMETER_TEAM_GROUPS' : '--team-groups');
  const secretId = (name: string) => envValue(env, name) ?? undefined;
  const analytics = once(async () => {
    const settings = await anthropicSettings({ env, ...optional(secretId(ANTHROPIC_SECRET_ENV)) });
    return settings === null ? null : new AnthropicClaudeCodeAnalytics({ ...settings, retry });
  });
  const directory = once(async () => new OktaTeamDirectory(await oktaSettings({ env, ...optional(secretId(OKTA_SECRET_ENV)) }), { retry }));
  return {
    analytics: { actorDays: async (day) => (await analytics())?.actorDays(day) ?? null },
    directory: { teamMembers: async (rule) => (await directory()).teamMembers(rule) },
    teamRule,
  };
}

function optional(secretId: string | undefined): { secretId?: string } {
  return secretId === undefined ? {} : { secretId };
}
