import { calcPrice } from '@pydantic/genai-prices';
import type { TokenCounts } from '../records/types.ts';
import { UNPRICED } from './types.ts';
import type { FlatPrices, PriceOverride, PriceOverrideFile, PriceQuote, Pricer } from './types.ts';

/** Pinned exactly in package.json; a test checks the two agree, since every record carries it. */
export const GENAI_PRICES_VERSION = '0.1.8';

type Tiered = { readonly base: number; readonly tiers: readonly { readonly start: number; readonly price: number }[] };
type PriceValue = number | Tiered;

/** A model's prices for one moment, in the bundled data's own shape. */
type ModelPrice = Readonly<Record<string, PriceValue | undefined>>;

/**
 * Price keys the library charges even though seatmeter supplies no usage for them (a fee per request).
 * Every other extra key (1h cache writes, audio, web searches) is priced on usage we never report, so it
 * adds nothing and the four-key arithmetic below stays exact.
 */
const PER_REQUEST_KEYS = ['requests_kcount'];
/** Time-of-day price windows in the data start on whole minutes, so one lookup per model and minute is exact. */
const MINUTE_MS = 60_000;
const MAX_CACHED_LOOKUPS = 10_000;

/**
 * Prices at API list prices: the override file first, then `@pydantic/genai-prices`' bundled data.
 * `calcPrice` costs ~50 µs a call, so the model's price row is looked up once per minute and the cost is
 * computed here from the four token prices with the library's own rules (tier chosen by total input,
 * strictly above its start; an unpriced cache kind billed as input); rows with a per-request fee go through
 * `calcPrice` itself. A test holds the two paths equal.
 */
export class PriceBook implements Pricer {
  readonly #overrides: ReadonlyMap<string, readonly PriceOverride[]>;
  readonly #overrideVersion: string;
  readonly #rows = new Map<string, ModelPrice | null>();

  constructor(overrides: PriceOverrideFile) {
    const byModel = new Map<string, PriceOverride[]>();
    for (const row of overrides.models) {
      const key = row.model.toLowerCase();
      byModel.set(key, [...(byModel.get(key) ?? []), row]);
    }
    for (const rows of byModel.values()) rows.sort((a, b) => Date.parse(a.effective_from) - Date.parse(b.effective_from));
    this.#overrides = byModel;
    this.#overrideVersion = `overrides@${overrides.version}`;
  }

  price(model: string, tokens: TokenCounts, timeMs: number): PriceQuote {
    const override = this.#override(model, timeMs);
    if (override !== undefined) {
      return { estimated_cost_usd: linearCost(override, tokens), price_version: this.#overrideVersion };
    }
    const row = this.#row(model, timeMs);
    if (row === null) return UNPRICED;
    const cost = isLinear(row) ? tieredCost(row, tokens) : libraryCost(model, tokens, timeMs);
    return cost === null ? UNPRICED : { estimated_cost_usd: cost, price_version: `genai-prices@${GENAI_PRICES_VERSION}` };
  }

  #override(model: string, timeMs: number): PriceOverride | undefined {
    const rows = this.#overrides.get(model.toLowerCase());
    if (rows === undefined) return undefined;
    let found: PriceOverride | undefined;
    for (const row of rows) if (Date.parse(row.effective_from) <= timeMs) found = row;
    return found;
  }

  #row(model: string, timeMs: number): ModelPrice | null {
    const key = `${model}\u0000${Math.floor(timeMs / MINUTE_MS)}`;
    const cached = this.#rows.get(key);
    if (cached !== undefined) return cached;
    if (this.#rows.size >= MAX_CACHED_LOOKUPS) this.#rows.clear();
    const found = calcPrice({ input_tokens: 1 }, model, { timestamp: new Date(timeMs) });
    const row = found === null ? null : (found.model_price as ModelPrice);
    this.#rows.set(key, row);
    return row;
  }
}

function isLinear(row: ModelPrice): boolean {
  return row.input_mtok !== undefined && PER_REQUEST_KEYS.every((key) => row[key] === undefined);
}

function tierPrice(value: PriceValue, totalInput: number): number {
  if (typeof value === 'number') return value;
  let price = value.base;
  for (const tier of value.tiers) if (totalInput > tier.start) price = tier.price;
  return price;
}

function tieredCost(row: ModelPrice, tokens: TokenCounts): number {
  const totalInput = tokens.input_tokens + tokens.cache_read_tokens + tokens.cache_write_tokens;
  let micro = 0;
  let uncached = tokens.input_tokens;
  // A cache kind without its own price is billed as plain input, as the library does.
  if (row.cache_read_mtok === undefined) uncached += tokens.cache_read_tokens;
  else micro += tierPrice(row.cache_read_mtok, totalInput) * tokens.cache_read_tokens;
  if (row.cache_write_mtok === undefined) uncached += tokens.cache_write_tokens;
  else micro += tierPrice(row.cache_write_mtok, totalInput) * tokens.cache_write_tokens;
  micro += tierPrice(row.input_mtok as PriceValue, totalInput) * uncached;
  if (row.output_mtok !== undefined) micro += tierPrice(row.output_mtok, totalInput) * tokens.output_tokens;
  return micro / 1e6;
}

function linearCost(prices: FlatPrices, tokens: TokenCounts): number {
  return (
    (prices.input_mtok * tokens.input_tokens +
      prices.cache_read_mtok * tokens.cache_read_tokens +
      prices.cache_write_mtok * tokens.cache_write_tokens +
      prices.output_mtok * tokens.output_tokens) /
    1e6
  );
}

/** The library counts cache reads and writes inside `input_tokens`; seatmeter's `input` excludes them. */
export function libraryUsage(tokens: TokenCounts): Record<string, number> {
  return {
    input_tokens: tokens.input_tokens + tokens.cache_read_tokens + tokens.cache_write_tokens,
    cache_read_tokens: tokens.cache_read_tokens,
    cache_write_tokens: tokens.cache_write_tokens,
    output_tokens: tokens.output_tokens,
  };
}

function libraryCost(model: string, tokens: TokenCounts, timeMs: number): number | null {
  const result = calcPrice(libraryUsage(tokens), model, { timestamp: new Date(timeMs) });
  return result === null ? null : result.total_price;
}
