import type { Spend, SpendFacet, SpendQuery, SpendShare, SpendSource } from '../spend.ts';
import { DAY_MS, MINUTE_MS, floorTo, mergeCells } from './ledger-cells.ts';
import type { LedgerCell } from './ledger-cells.ts';
import type { FoldState, LedgerTable } from './ledger-table.ts';
import { ZERO_SPEND, addSpend, counts, meterKey, minuteSpends } from './meter.ts';
import type { Meter } from './meter.ts';

const ceilTo = (ms: number, unit: number): number => Math.ceil(ms / unit) * unit;
const total = (sums: ReadonlyMap<number, Spend>): Spend => [...sums.values()].reduce(addSpend, ZERO_SPEND);

const cellSpend = (meter: Meter, cells: readonly LedgerCell[]): Spend => total(minuteSpends(meter, cells));

/**
 * A budget's spend from the deployed ledger, at minute precision (a minute counts when any of it is in the
 * range): closed UTC days from the meter's day sums, the rest of what the fold has closed from its minute
 * sums, and the minutes it has not closed yet from the cells themselves. A meter the fold has not built yet
 * is summed from the cells alone: slower, never wrong.
 */
export class LedgerSpendSource implements SpendSource {
  readonly #table: LedgerTable;
  #state: Promise<FoldState | null> | undefined;
  readonly #open: readonly LedgerCell[] | undefined;

  /**
   * A run that has just folded pins its `state`, and may hand over the cells it read of every minute after it
   * (`open`), so its many questions read none again; otherwise the state is read once, on first use.
   */
  constructor(table: LedgerTable, pinned?: { readonly state: FoldState; readonly open?: readonly LedgerCell[] }) {
    this.#table = table;
    if (pinned !== undefined) this.#state = Promise.resolve(pinned.state);
    this.#open = pinned?.open;
  }

  async spend(query: SpendQuery): Promise<Spend> {
    const meter: Meter = query;
    const key = meterKey(meter);
    const from = floorTo(query.startMs, MINUTE_MS);
    const to = ceilTo(query.endMs, MINUTE_MS);
    if (to <= from) return ZERO_SPEND;
    this.#state ??= this.#table.foldState();
    const state = await this.#state;
    const since = state?.meters[key];
    if (state === null || since === undefined || since > from) return cellSpend(meter, mergeCells(await this.#table.cells(from, to)));
    const folded = Math.min(to, Math.max(from, state.foldedThroughMs));
    let spend = await this.#foldedSpend(key, from, folded);
    if (folded < to) {
      const open = this.#open === undefined ? mergeCells(await this.#table.cells(folded, to)) : this.#open.filter((cell) => cell.minuteMs >= folded && cell.minuteMs < to);
      spend = addSpend(spend, cellSpend(meter, open));
    }
    return spend;
  }

  /** [fromMs, toMs) inside what the fold closed: whole UTC days from day sums, the edges from minute sums. */
  async #foldedSpend(key: string, fromMs: number, toMs: number): Promise<Spend> {
    if (toMs <= fromMs) return ZERO_SPEND;
    const firstDay = ceilTo(fromMs, DAY_MS);
    const lastDay = floorTo(toMs, DAY_MS);
    if (firstDay >= lastDay) return total(await this.#table.sums(key, 'minute', fromMs, toMs));
    let spend = total(await this.#table.sums(key, 'day', firstDay, lastDay));
    if (fromMs < firstDay) spend = addSpend(spend, total(await this.#table.sums(key, 'minute', fromMs, firstDay)));
    if (lastDay < toMs) spend = addSpend(spend, total(await this.#table.sums(key, 'minute', lastDay, toMs)));
    return spend;
  }

  /** From the cells: an alert's breakdown reads a period of them once, which the sums cannot answer. */
  async top(query: SpendQuery, facet: SpendFacet, limit: number): Promise<SpendShare[]> {
    const meter: Meter = query;
    const shares = new Map<string | null, { usd: number; tokens: number }>();
    const cells = mergeCells(await this.#table.cells(floorTo(query.startMs, MINUTE_MS), ceilTo(query.endMs, MINUTE_MS)));
    for (const cell of cells) {
      for (const entry of cell.entries.values()) {
        if (!counts(meter, cell.user, entry)) continue;
        const name = facet === 'user' ? (cell.user === '' ? null : cell.user) : facet === 'model' ? entry.model : entry.repo;
        const share = shares.get(name) ?? { usd: 0, tokens: 0 };
        share.usd += entry.usd ?? 0;
        share.tokens += entry.tokens;
        shares.set(name, share);
      }
    }
    return [...shares]
      .map(([name, share]) => ({ key: name, ...share }))
      .sort((a, b) => b.usd - a.usd || b.tokens - a.tokens || String(a.key).localeCompare(String(b.key)))
      .slice(0, limit);
  }
}
