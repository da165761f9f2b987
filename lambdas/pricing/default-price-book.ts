import shippedOverrides from '../../schemas/price-overrides.json' with { type: 'json' };
import { loadPriceOverrides, parsePriceOverrides } from './overrides.ts';
import { PriceBook } from './price-book.ts';

/**
 * The override file shipped in schemas/, or another one named by SEATMETER_PRICE_OVERRIDES. The shipped one is
 * imported rather than read, so a bundle carries it and needs no schemas/ folder beside it.
 */
export function defaultPriceBook(path = process.env.SEATMETER_PRICE_OVERRIDES): PriceBook {
  const overrides = path === undefined ? parsePriceOverrides(shippedOverrides, 'schemas/price-overrides.json') : loadPriceOverrides(path);
  return new PriceBook(overrides);
}
