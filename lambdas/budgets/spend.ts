import type { BudgetScope } from './definition.ts';

/** Usage counted against a budget: estimated list-price cost and billable tokens, as `seatmeter report` sums them. */
export interface Spend {
  readonly usd: number;
  readonly tokens: number;
  /** Tokens of models without a price: counted in `tokens`, adding nothing to `usd`. */
  readonly unpricedTokens: number;
}

export interface SpendQuery {
  readonly scope: BudgetScope;
  readonly tool: string | null;
  readonly model: string | null;
  readonly startMs: number;
  readonly endMs: number;
}

/** What the scope's spend in a period was made of: the biggest users, models or repos, for an alert. */
export type SpendFacet = 'user' | 'model' | 'repo';

export interface SpendShare {
  /** The user's email, model or repo; null for spend that names none. */
  readonly key: string | null;
  readonly usd: number;
  readonly tokens: number;
}

/** Where a budget's spend is read: the local database, or the deployed ledger. */
export interface SpendSource {
  spend(query: SpendQuery): Promise<Spend>;
  /** The `limit` largest shares of the query's spend by `facet`, by cost then tokens. */
  top(query: SpendQuery, facet: SpendFacet, limit: number): Promise<SpendShare[]>;
}
