import { increment } from '../normalize/counts.ts';
import type { CanonicalRecord, UnpricedRecord } from '../records/types.ts';
import { billableTokens } from '../records/types.ts';
import type { Pricer } from './types.ts';

export interface PricedRecords {
  readonly records: CanonicalRecord[];
  /** Billable tokens of models with no price, by model: they carry no cost, never $0. */
  readonly unpriced: Map<string, number>;
}

/** The pricing step of ingest: every usage and request record gets its list-price estimate and price version. */
export function priceRecords(records: readonly UnpricedRecord[], pricer: Pricer): PricedRecords {
  const unpriced = new Map<string, number>();
  const priced = records.map((record): CanonicalRecord => {
    if (record.kind === 'activity') return record;
    const quote = pricer.price(record.model, record, record.time_ms);
    // A request record repeats the tokens of its call's usage record: counting both would count them twice.
    if (record.kind === 'usage' && quote.estimated_cost_usd === null) increment(unpriced, record.model, billableTokens(record));
    return { ...record, estimated_cost_usd: quote.estimated_cost_usd, price_version: quote.price_version };
  });
  return { records: priced, unpriced };
}
