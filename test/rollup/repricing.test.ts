import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { findProvider } from '@pydantic/genai-prices';
import type { ConditionalPrice, ModelPrice } from '@pydantic/genai-prices';
import { describe, expect, it } from 'vitest';
import { PRICING_SLOT_MS, TIER_STARTS } from '../../lambdas/rollup/repricing.ts';

/** The bundled price data's providers: the library looks them up by id but does not list them. */
function bundledPrices(): { tierStarts: Set<number>; timesOfDay: Set<string> } {
  const source = readFileSync(fileURLToPath(import.meta.resolve('@pydantic/genai-prices')), 'utf8');
  const ids = [...source.matchAll(/^ {4}id: "([^"]+)",$/gm)].map((match) => match[1] as string);
  const tierStarts = new Set<number>();
  const timesOfDay = new Set<string>();
  const visit = (prices: ModelPrice) => {
    for (const value of Object.values(prices)) if (typeof value === 'object') for (const tier of value.tiers) tierStarts.add(tier.start);
  };
  for (const id of ids) {
    for (const model of findProvider({ providerId: id })?.models ?? []) {
      if (!Array.isArray(model.prices)) visit(model.prices as ModelPrice);
      else
        for (const conditional of model.prices as ConditionalPrice[]) {
          visit(conditional.prices);
          if (conditional.constraint?.type === 'time_of_date') timesOfDay.add(conditional.constraint.start_time).add(conditional.constraint.end_time);
        }
    }
  }
  if (ids.length < 20 || tierStarts.size === 0) throw new Error(`read only ${ids.length} providers and ${tierStarts.size} tiers from the bundled data`);
  return { tierStarts, timesOfDay };
}

describe('re-pricing granularity', () => {
  const { tierStarts, timesOfDay } = bundledPrices();

  it('splits at every tier start of the bundled price data', () => {
    expect([...tierStarts].sort((a, b) => a - b)).toEqual(TIER_STARTS);
  });

  it('uses slots that every time-of-day price window starts and ends on', () => {
    expect(timesOfDay.size).toBeGreaterThan(0);
    for (const time of timesOfDay) {
      const [hours, minutes, seconds] = time.replace('Z', '').split(':').map(Number) as [number, number, number];
      expect([time, ((hours * 60 + minutes) * 60 + seconds) * 1000 % PRICING_SLOT_MS]).toEqual([time, 0]);
    }
  });
});
