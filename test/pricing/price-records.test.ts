import { describe, expect, it } from 'vitest';
import { priceRecords } from '../../lambdas/pricing/price-records.ts';
import type { Pricer } from '../../lambdas/pricing/types.ts';
import { UNPRICED } from '../../lambdas/pricing/types.ts';
import { billableTokens } from '../../lambdas/records/types.ts';
import type { UnpricedRecord } from '../../lambdas/records/types.ts';
import { activity, request, usage } from '../support/records.ts';

/** One dollar per million billable tokens for `priced`, no price for anything else. */
const pricer: Pricer = {
  price: (model, tokens, timeMs) =>
    model === 'priced' ? { estimated_cost_usd: billableTokens(tokens) / 1e6, price_version: `v@${timeMs}` } : UNPRICED,
};

function unpriced<R extends { estimated_cost_usd: unknown; price_version: unknown }>(record: R): Omit<R, 'estimated_cost_usd' | 'price_version'> {
  const { estimated_cost_usd: _cost, price_version: _version, ...rest } = record;
  return rest;
}

describe('priceRecords', () => {
  it('adds the estimate and price version to usage and request records, leaves activity as it is', () => {
    const records: UnpricedRecord[] = [unpriced(usage({ model: 'priced' })), unpriced(request({ model: 'priced' })), activity()];
    const { records: priced, unpriced: missing } = priceRecords(records, pricer);
    const version = `v@${records[0]?.time_ms}`;
    expect(priced.map((r) => (r.kind === 'activity' ? r.kind : [r.kind, r.estimated_cost_usd, r.price_version]))).toEqual([
      ['usage', 0.00231, version],
      ['request', 0.00231, version],
      'activity',
    ]);
    expect(priced[2]).toBe(records[2]);
    expect(missing.size).toBe(0);
  });

  it('counts the billable tokens of unpriced models once, from usage records only', () => {
    const records: UnpricedRecord[] = [
      unpriced(usage({ model: 'mystery', reasoning_tokens: 100 })),
      unpriced(usage({ id: 'usage-2', model: 'mystery' })),
      unpriced(request({ model: 'mystery' })),
    ];
    const { records: priced, unpriced: missing } = priceRecords(records, pricer);
    expect(priced.map((r) => (r.kind === 'activity' ? null : [r.estimated_cost_usd, r.price_version]))).toEqual([
      [null, null],
      [null, null],
      [null, null],
    ]);
    expect(Object.fromEntries(missing)).toEqual({ mystery: 2 * 2310 });
  });
});
