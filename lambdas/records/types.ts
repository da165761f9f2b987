/**
 * The canonical record model (documented in schemas/canonical-records.md). Field names are snake_case so that
 * the same names serve the Timestream tables, the local store and the Athena table without a mapping layer.
 */

/** `claude_code`, `codex`, `gemini_cli`, or the `service.name` of any other GenAI-semconv app. */
export type Tool = string;

/** Who and where: the same on every record kind. Null means the client did not say. */
export interface RecordContext {
  readonly tool: Tool;
  readonly user_email: string | null;
  readonly user_id: string | null;
  readonly organization_id: string | null;
  /** From `service.namespace`. */
  readonly repo: string | null;
  readonly session_id: string | null;
  readonly terminal: string | null;
  readonly client_version: string | null;
  /**
   * The user's team in the user → team map when the record was stored (`unassigned` for a user in none); null
   * for usage without an identity, which is nobody's. Stamped at ingest, never by a client.
   */
  readonly team: string | null;
}

export interface TokenCounts {
  /** Input not served from cache. */
  readonly input_tokens: number;
  readonly cache_read_tokens: number;
  readonly cache_write_tokens: number;
  /** All billable output, reasoning included. */
  readonly output_tokens: number;
  /** The part of output_tokens that was reasoning; informational, never added again. */
  readonly reasoning_tokens: number;
}

/** The token columns, in the order every report, board and table shows them. */
export const TOKEN_FIELDS = ['input_tokens', 'cache_read_tokens', 'cache_write_tokens', 'output_tokens', 'reasoning_tokens'] as const satisfies readonly (keyof TokenCounts)[];

export const ZERO_TOKENS: TokenCounts = Object.freeze({
  input_tokens: 0,
  cache_read_tokens: 0,
  cache_write_tokens: 0,
  output_tokens: 0,
  reasoning_tokens: 0,
});

/** Token counts read field by field, e.g. from a query row. */
export function readTokenCounts(read: (field: keyof TokenCounts) => number): TokenCounts {
  return {
    input_tokens: read('input_tokens'),
    cache_read_tokens: read('cache_read_tokens'),
    cache_write_tokens: read('cache_write_tokens'),
    output_tokens: read('output_tokens'),
    reasoning_tokens: read('reasoning_tokens'),
  };
}

/** Tokens that are billed: reasoning is part of output and never added again. */
export function billableTokens(tokens: TokenCounts): number {
  return tokens.input_tokens + tokens.cache_read_tokens + tokens.cache_write_tokens + tokens.output_tokens;
}

export interface Pricing {
  /** Null when the model has no price: such tokens are unpriced, never $0. */
  readonly estimated_cost_usd: number | null;
  /** What the client itself reported (Claude Code), null where the tool reports none. */
  readonly reported_cost_usd: number | null;
  /** Which price data priced this record; null when unpriced. */
  readonly price_version: string | null;
}

interface RecordBase extends RecordContext {
  /** Deterministic from the content, so an exact repeat (client retry, replay) is recognisable by any store. */
  readonly id: string;
  /** Epoch milliseconds. */
  readonly time_ms: number;
}

export interface UsageRecord extends RecordBase, TokenCounts, Pricing {
  readonly kind: 'usage';
  /** Normalized: context suffixes like `[1m]` and provider prefixes removed. */
  readonly model: string;
}

export const ACTIVITY_METRICS = [
  'sessions',
  'lines_added',
  'lines_removed',
  'commits',
  'pull_requests',
  'active_time_user_s',
  'active_time_cli_s',
  'edit_accepted',
  'edit_rejected',
  'api_requests',
  'api_errors',
] as const;
export type ActivityMetric = (typeof ACTIVITY_METRICS)[number];

export interface ActivityRecord extends RecordBase {
  readonly kind: 'activity';
  readonly metric: ActivityMetric;
  readonly value: number;
  readonly model: string | null;
  /** Qualifier where the source has one, e.g. the edit tool (`Edit`) or the language. */
  readonly detail: string | null;
}

export interface RequestRecord extends RecordBase, TokenCounts, Pricing {
  readonly kind: 'request';
  /** The source event, e.g. `api_request`, `api_error`, `codex.sse_event`, `gemini_cli.api_response`. */
  readonly event: string;
  readonly model: string;
  readonly request_id: string | null;
  readonly duration_ms: number | null;
  readonly status_code: number | null;
  readonly error: string | null;
}

export type CanonicalRecord = UsageRecord | ActivityRecord | RequestRecord;

type Unpriced<R extends Pricing> = Omit<R, 'estimated_cost_usd' | 'price_version'>;

/** A record as the normalizer derives it from telemetry, before the pricing step adds the estimate. */
export type UnpricedRecord = Unpriced<UsageRecord> | ActivityRecord | Unpriced<RequestRecord>;
