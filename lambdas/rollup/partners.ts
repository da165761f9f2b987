import type { ClaudeCodeAnalyticsSource, TeamDirectory, TeamGroupRule } from './sources.ts';

/** The rollup's partner sources and the rule that picks team groups: what `--team-groups` and the environment configure. */
export interface RollupPartners {
  readonly analytics: ClaudeCodeAnalyticsSource;
  readonly directory: TeamDirectory;
  readonly teamRule: TeamGroupRule;
}

export class PartnersUnavailableError extends Error {
  override readonly name = 'PartnersUnavailableError';
}

/**
 * The Claude Code Analytics API client, the Okta directory client and the team rule (from `teamGroups`, else
 * SEATMETER_TEAM_GROUPS), for the CLI and the Lambda alike. Those adapters are not part of this build yet, so
 * this refuses, naming what is missing: a rollup without them would publish teams and coverage it never
 * looked up.
 */
export function rollupPartnersFrom(env: NodeJS.ProcessEnv, teamGroups: string | undefined): RollupPartners {
  const rule = teamGroups ?? env.SEATMETER_TEAM_GROUPS;
  throw new PartnersUnavailableError(
    'this build has no Claude Code Analytics API or Okta directory client, so it cannot reconcile usage or attribute teams' +
      (rule === undefined ? '' : ` (team groups "${rule}")`),
  );
}
