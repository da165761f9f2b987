import type { TokenCounts } from '../records/types.ts';

/** USD per million tokens for each canonical token kind. */
export interface FlatPrices {
  readonly input_mtok: number;
  readonly cache_read_mtok: number;
  readonly cache_write_mtok: number;
  readonly output_mtok: number;
}

export interface PriceOverride extends FlatPrices {
  readonly model: string;
  /** ISO date (UTC); the override applies to usage at or after it. */
  readonly effective_from: string;
}

export interface PriceOverrideFile {
  readonly version: string;
  readonly models: readonly PriceOverride[];
}

export interface PriceQuote {
  readonly estimated_cost_usd: number | null;
  readonly price_version: string | null;
}

/** Prices a model's tokens at API list prices; pure apart from memoization. */
export interface Pricer {
  price(model: string, tokens: TokenCounts, timeMs: number): PriceQuote;
}

export const UNPRICED: PriceQuote = { estimated_cost_usd: null, price_version: null };
