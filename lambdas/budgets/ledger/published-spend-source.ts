import type { Spend, SpendFacet, SpendQuery, SpendShare, SpendSource } from '../spend.ts';
import type { LedgerTable, PublishedStandings } from './ledger-table.ts';
import { meterKey } from './meter.ts';

/** Standings older than this mean the alerts run has stopped: decisions then read the ledger itself. */
export const STANDINGS_MAX_AGE_MS = 5 * 60_000;

/**
 * Spend for budget decisions: the standings the last alerts run published (one small read per request,
 * at most a minute old), and the ledger for what they do not hold — a budget set since, a period that has
 * just begun — or when they are stale. Exact either way; only the cost differs.
 */
export class PublishedSpendSource implements SpendSource {
  readonly #table: LedgerTable;
  readonly #ledger: SpendSource;
  readonly #now: () => number;
  #standings: Promise<PublishedStandings | null> | undefined;

  constructor(table: LedgerTable, ledger: SpendSource, now: () => number) {
    this.#table = table;
    this.#ledger = ledger;
    this.#now = now;
  }

  async spend(query: SpendQuery): Promise<Spend> {
    this.#standings ??= this.#table.standings();
    const standings = await this.#standings;
    if (standings !== null && this.#now() - standings.asOfMs <= STANDINGS_MAX_AGE_MS) {
      const key = meterKey(query);
      const published = Object.values(standings.budgets).find((entry) => entry.meterKey === key && entry.startMs === query.startMs);
      if (published !== undefined) return published.spend;
    }
    return this.#ledger.spend(query);
  }

  top(query: SpendQuery, facet: SpendFacet, limit: number): Promise<SpendShare[]> {
    return this.#ledger.top(query, facet, limit);
  }
}
