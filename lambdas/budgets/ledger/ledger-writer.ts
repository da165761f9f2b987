import type { CanonicalRecord } from '../../records/types.ts';
import { lateMinutes, ledgerCells } from './ledger-cells.ts';
import type { LedgerTable } from './ledger-table.ts';

/** What ingest calls once the store has taken a request's records. */
export interface SpendLedgerWriter {
  record(records: readonly CanonicalRecord[]): Promise<void>;
}

/**
 * The receiver's half of the ledger: its usage records as cells, then a late mark for minutes the fold may
 * have closed already (a slow retry, a replay), so the fold sums those minutes again.
 */
export class LedgerWriter implements SpendLedgerWriter {
  readonly #table: LedgerTable;
  readonly #now: () => number;

  constructor(table: LedgerTable, now: () => number = Date.now) {
    this.#table = table;
    this.#now = now;
  }

  async record(records: readonly CanonicalRecord[]): Promise<void> {
    const cells = ledgerCells(records);
    if (cells.length === 0) return;
    await this.#table.putCells(cells);
    const late = lateMinutes(cells, this.#now());
    if (late.length > 0) await this.#table.markLate(late);
  }
}
