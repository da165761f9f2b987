import { billableTokens } from '../../records/types.ts';
import type { CanonicalRecord } from '../../records/types.ts';
import { normalizeEmail } from '../../rollup/teams.ts';

/** One usage record as the ledger keeps it: what a budget filters on and what it adds up. */
export interface LedgerEntry {
  readonly team: string | null;
  readonly repo: string | null;
  readonly tool: string;
  readonly model: string;
  /** Null for a model without a price: its tokens count, its cost is not $0. */
  readonly usd: number | null;
  readonly tokens: number;
}

/**
 * A user's usage records of one minute, by record id. The id is what every store already dedupes on, so
 * writing a cell again (a client retry, a Lambda retry, a replay) sets each entry to the value it has.
 */
export interface LedgerCell {
  readonly minuteMs: number;
  /** The lower-cased email; '' for usage without an identity (org budgets count it, no user budget does). */
  readonly user: string;
  readonly entries: ReadonlyMap<string, LedgerEntry>;
}

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export { DAY_MS } from '../../rollup/day.ts';

export const floorTo = (ms: number, unit: number): number => Math.floor(ms / unit) * unit;

/** Only usage records are spend: the same rows `seatmeter report` sums for cost and tokens. */
export function ledgerCells(records: readonly CanonicalRecord[]): LedgerCell[] {
  const cells = new Map<string, { minuteMs: number; user: string; entries: Map<string, LedgerEntry> }>();
  for (const record of records) {
    if (record.kind !== 'usage') continue;
    const minuteMs = floorTo(record.time_ms, MINUTE_MS);
    const user = normalizeEmail(record.user_email) ?? '';
    const key = `${minuteMs}\u0000${user}`;
    let cell = cells.get(key);
    if (cell === undefined) {
      cell = { minuteMs, user, entries: new Map() };
      cells.set(key, cell);
    }
    cell.entries.set(record.id, {
      team: record.team,
      repo: record.repo,
      tool: record.tool,
      model: record.model,
      usd: record.estimated_cost_usd,
      tokens: billableTokens(record),
    });
  }
  return [...cells.values()];
}

/**
 * A writer checks the clock after its cell write lands, and marks the minute late when the minute ended more
 * than FRESH_MS before: so every unmarked write of a minute is in the table by its end + FRESH_MS.
 */
export const FRESH_MS = MINUTE_MS;
/** The fold closes a minute this long after it ends: FRESH_MS and a margin for clocks between Lambdas. */
export const CLOSE_AFTER_MS = FRESH_MS + 30_000;

/** The minutes of `cells` that the fold may already have closed by `nowMs`: measured after the write. */
export function lateMinutes(cells: readonly LedgerCell[], nowMs: number): number[] {
  const late = new Set<number>();
  for (const cell of cells) if (cell.minuteMs + MINUTE_MS + FRESH_MS <= nowMs) late.add(cell.minuteMs);
  return [...late].sort((a, b) => a - b);
}

/**
 * Cells as read back: one (minute, user) may be in several items (exports of one minute, a retry holding a
 * different batch), and an entry in more than one of them. Merged by record id, each counts once.
 */
export function mergeCells(cells: readonly LedgerCell[]): LedgerCell[] {
  const merged = new Map<string, { minuteMs: number; user: string; entries: Map<string, LedgerEntry> }>();
  for (const cell of cells) {
    const key = `${cell.minuteMs}\u0000${cell.user}`;
    let into = merged.get(key);
    if (into === undefined) {
      into = { minuteMs: cell.minuteMs, user: cell.user, entries: new Map() };
      merged.set(key, into);
    }
    for (const [id, entry] of cell.entries) into.entries.set(id, entry);
  }
  return [...merged.values()];
}
