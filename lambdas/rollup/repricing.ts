/**
 * How finely the store's day must be summed for re-pricing to cost exactly what pricing each record does.
 *
 * A record's price depends on its model, its time (price changes; a few models have time-of-day prices) and,
 * for tiered models, on the record's own input size (e.g. Claude Sonnet 4.5 and Gemini 2.5 Pro double above
 * 200k input tokens). A day total priced as one request would land in the top tier; so records are summed
 * per pricing slot and per tier band, and each such line is priced at its slot's start.
 */

/**
 * The bundled data's price changes fall on dates and its time-of-day windows on whole half hours (a test
 * holds this to the data); override files give dates, or times that should keep to half hours too.
 */
export const PRICING_SLOT_MS = 30 * 60_000;

/**
 * Every input size (input + cache read + cache write) above which a model's price changes tier in the bundled
 * price data; a test holds this list to the data, so a price update with a new tier fails it.
 */
export const TIER_STARTS: readonly number[] = [128_000, 199_999, 200_000, 271_999, 272_000, 512_000];
