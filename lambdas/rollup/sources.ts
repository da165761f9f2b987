/**
 * The rollup's outside sources, as ports: the Claude Code Analytics API (Anthropic's own per-user daily
 * view, used to reconcile with telemetry, never added to it), the identity provider's team groups and the
 * code host's pull requests (for features). Adapters turn the wire formats into these shapes; the rollup
 * logic sees nothing else of them.
 */
import type { PullRequestWork } from '../features/session-features.ts';


/** One model's line in an Analytics API actor-day, amounts converted to whole tokens and US dollars. */
export interface AnalyticsModelUsage {
  readonly model: string;
  readonly input_tokens: number;
  readonly output_tokens: number;
  readonly cache_read_tokens: number;
  /** `cache_creation` in the API. */
  readonly cache_write_tokens: number;
  /** The API's `estimated_cost.amount` is in cents; this is dollars. Null when the API gave none. */
  readonly estimated_cost_usd: number | null;
}

/** One actor's Claude Code usage on one UTC day, as the Analytics API reports it. */
export interface AnalyticsActorDay {
  /** YYYY-MM-DD, UTC. */
  readonly day: string;
  /** A person (by email) or an API key (by its name): only people can be joined to telemetry and teams. */
  readonly actor: { readonly kind: 'user'; readonly email: string } | { readonly kind: 'api_key'; readonly name: string };
  /** `api` or `subscription`. */
  readonly customer_type: string;
  readonly sessions: number;
  readonly lines_added: number;
  readonly lines_removed: number;
  readonly commits: number;
  readonly pull_requests: number;
  readonly models: readonly AnalyticsModelUsage[];
}

export interface ClaudeCodeAnalyticsSource {
  /**
   * Every actor-day of `day` (all pages); null when no admin key is configured, so coverage says so instead of
   * claiming nobody used Claude Code. Throws when a configured API cannot be read: no partial day is ever used.
   */
  actorDays(day: string): Promise<readonly AnalyticsActorDay[] | null>;
}

/** Which identity-provider groups are teams: every group whose name starts with a prefix, or a named list. */
export type TeamGroupRule = { readonly kind: 'prefix'; readonly prefix: string } | { readonly kind: 'list'; readonly names: readonly string[] };

export interface TeamDirectory {
  /**
   * Members of every group the rule selects, by group name, each email trimmed and lower-cased. Throws when
   * the directory cannot be read completely.
   */
  teamMembers(rule: TeamGroupRule): Promise<ReadonlyMap<string, readonly string[]>>;
}

/** The directory's team groups as the rule selects them, and the rule, so each person's one team can be picked. */
export interface SelectedTeams {
  readonly rule: TeamGroupRule;
  readonly members: ReadonlyMap<string, readonly string[]>;
}

/** Who is in which team. */
export interface TeamSource {
  /** Null when no directory is configured; throws when one is configured and cannot be read. */
  selectedTeams(): Promise<SelectedTeams | null>;
}

/** The pull requests of the configured repositories, which give sessions their feature. */
export interface PullRequestSource {
  /**
   * Every pull request updated at or after `sinceMs` in every configured repository; null when none is
   * configured (then every session is `unattributed`). Throws when one cannot be read completely.
   */
  pullRequests(sinceMs: number): Promise<readonly PullRequestWork[] | null>;
}
