import { AnthropicClaudeCodeAnalytics } from './anthropic/analytics-source.ts';
import { anthropicSettings } from './anthropic/credentials.ts';
import { GitHubPullRequests } from '../features/github/github-pull-requests.ts';
import { gitHubSettings } from '../features/github/github-settings.ts';
import { DEFAULT_RETRY_POLICY } from './http-retry.ts';
import type { RetryPolicy } from './http-retry.ts';
import { oktaTeamSettings } from './okta/credentials.ts';
import { OktaTeamDirectory } from './okta/team-directory.ts';
import { envValue } from '../config/env.ts';
import type { ClaudeCodeAnalyticsSource, PullRequestSource, TeamSource } from './sources.ts';
import { parseTeamGroupRule } from './team-rule.ts';

/** The rollup's partner sources: what `--team-groups`, the environment and the partner secrets configure. */
export interface RollupPartners {
  readonly analytics: ClaudeCodeAnalyticsSource;
  /** Selects nobody (everyone `unassigned`) when no team directory is configured. */
  readonly teams: TeamSource;
  /** Null (every session `unattributed`) when no GitHub repository is configured. */
  readonly pullRequests: PullRequestSource;
}

/** Environment variables naming the secrets the CDK stack creates; without them the plain variables are read. */
export const ANTHROPIC_SECRET_ENV = 'SEATMETER_ANTHROPIC_SECRET_ID';
export const OKTA_SECRET_ENV = 'SEATMETER_OKTA_SECRET_ID';
export const GITHUB_SECRET_ENV = 'SEATMETER_GITHUB_SECRET_ID';

/**
 * Builds a client on first use and keeps it; a failed build is not kept, so a warm Lambda whose secret was
 * still empty yesterday reads it again today.
 */
function once<T>(build: () => Promise<T>): () => Promise<T> {
  let built: T | undefined;
  return async () => (built ??= await build());
}

/**
 * The Claude Code Analytics API client, the Okta team directory and GitHub's pull requests, for the CLI and
 * the Lambda alike. A rule given by `teamGroups` or SEATMETER_TEAM_GROUPS is checked now; the rest on the
 * first call, because reading a secret is asynchronous, and is read again on a later run until it succeeds:
 * filling a partner's secret (the Okta one may carry `org_url` and `team_groups`, the GitHub one `repos`) turns
 * that partner on with no redeploy.
 */
export function rollupPartnersFrom(env: NodeJS.ProcessEnv, teamGroups: string | undefined, retry: Partial<RetryPolicy> = {}): RollupPartners {
  const ruleText = teamGroups ?? envValue(env, 'SEATMETER_TEAM_GROUPS');
  const ruleSource = teamGroups === undefined ? 'SEATMETER_TEAM_GROUPS' : '--team-groups';
  if (ruleText !== null) parseTeamGroupRule(ruleText, ruleSource);
  const secretId = (name: string) => envValue(env, name) ?? undefined;
  const analytics = once(async () => {
    const settings = await anthropicSettings({ env, ...optional(secretId(ANTHROPIC_SECRET_ENV)) });
    return settings === null ? null : new AnthropicClaudeCodeAnalytics({ ...settings, retry });
  });
  const directory = once(async () => {
    const settings = await oktaTeamSettings({ env, teamGroups: ruleText === null ? null : { text: ruleText, source: ruleSource }, ...optional(secretId(OKTA_SECRET_ENV)) });
    if (settings === null) return null;
    return { rule: parseTeamGroupRule(settings.teamGroups.text, settings.teamGroups.source), directory: new OktaTeamDirectory(settings, { retry }) };
  });
  const github = once(async () => {
    const settings = await gitHubSettings({ env, ...optional(secretId(GITHUB_SECRET_ENV)) });
    return settings === null ? null : new GitHubPullRequests(settings, { ...DEFAULT_RETRY_POLICY, ...retry });
  });
  return {
    analytics: { actorDays: async (day) => (await analytics())?.actorDays(day) ?? null },
    teams: {
      selectedTeams: async () => {
        const configured = await directory();
        return configured === null ? null : { rule: configured.rule, members: await configured.directory.teamMembers(configured.rule) };
      },
    },
    pullRequests: { pullRequests: async (sinceMs) => (await github())?.pullRequests(sinceMs) ?? null },
  };
}

function optional(secretId: string | undefined): { secretId?: string } {
  return secretId === undefined ? {} : { secretId };
}
