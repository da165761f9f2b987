import type { TokenCounts } from '../records/types.ts';

/**
 * What `GET /api/dashboard` answers: the numbers behind each panel of the team board (the same rows as the
 * Grafana board). Times are epoch milliseconds; token counts are integers; costs are USD at API list prices.
 */
export interface DashboardQuery {
  readonly fromMs: number;
  readonly toMs: number;
  /** Empty means every user / every tool / every team. */
  readonly users: readonly string[];
  readonly tools: readonly string[];
  /** Teams as stamped at ingest (`unassigned` for users in none; '' for usage without an identity). */
  readonly teams: readonly string[];
}

export type TokenBreakdown = TokenCounts;

export interface DashboardData {
  readonly query: { readonly fromMs: number; readonly toMs: number; readonly users: readonly string[]; readonly tools: readonly string[]; readonly teams: readonly string[] };
  readonly overview: {
    /** input + cache read + cache write + output (reasoning is part of output). */
    readonly total_tokens: number;
    /** Sum over priced records; `unpriced_tokens` says how much is missing from it. */
    readonly estimated_cost_usd: number;
    readonly unpriced_tokens: number;
    /** Distinct users (by email; records without one count as one "(unknown)" user) with any usage. */
    readonly active_developers: number;
    /** Distinct (user, clock hour) pairs with any usage. */
    readonly active_hours: number;
    readonly sessions: number;
  };
  /** Ranked by tokens, descending. `user_email` null when the client sent no identity. */
  readonly developers: readonly { readonly user_email: string | null; readonly tokens: number; readonly estimated_cost_usd: number }[];
  /** Tokens per user per time bucket, for "when people work". */
  readonly rate: {
    readonly bucket_ms: number;
    readonly points: readonly { readonly time_ms: number; readonly user_email: string | null; readonly tokens: number }[];
  };
  readonly by_type: TokenBreakdown;
  readonly by_model: readonly { readonly model: string; readonly tokens: number; readonly estimated_cost_usd: number; readonly unpriced_tokens: number }[];
  /** Developer × token type. */
  readonly matrix: readonly ({ readonly user_email: string | null } & TokenBreakdown)[];
}

export interface FilterOptions {
  readonly users: readonly (string | null)[];
  readonly tools: readonly string[];
  /** null for usage without an identity, which is nobody's team. */
  readonly teams: readonly (string | null)[];
}
