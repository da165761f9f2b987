import { fileURLToPath } from 'node:url';
import { loadPriceOverrides } from './overrides.ts';
import { PriceBook } from './price-book.ts';

/** The override file shipped in schemas/, or another one named by SEATMETER_PRICE_OVERRIDES. */
export const DEFAULT_OVERRIDES_PATH = fileURLToPath(new URL('../../schemas/price-overrides.json', import.meta.url));

export function defaultPriceBook(path = process.env.SEATMETER_PRICE_OVERRIDES ?? DEFAULT_OVERRIDES_PATH): PriceBook {
  return new PriceBook(loadPriceOverrides(path));
}
