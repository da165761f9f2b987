import type { Budget } from '../definition.ts';
import { periodAt } from '../period.ts';
import type { Spend } from '../spend.ts';
import { CLOSE_AFTER_MS, DAY_MS, HOUR_MS, MINUTE_MS, floorTo, mergeCells } from './ledger-cells.ts';
import type { LedgerCell } from './ledger-cells.ts';
import type { FoldState, LedgerTable } from './ledger-table.ts';
import { ZERO_SPEND, addSpend, meterKey, minuteSpends } from './meter.ts';
import type { Meter } from './meter.ts';

/** A meter the budgets need, and the UTC day from which its sums must be complete. */
export interface WantedMeter {
  readonly meter: Meter;
  readonly sinceMs: number;
}

/** The alert rules look back two hours from now (projection) and at the whole current period. */
const LOOK_BACK_MS = 2 * HOUR_MS;

/** The meters of `budgets` at `nowMs`, each from the UTC day holding the earliest minute any of them reads. */
export function wantedMeters(budgets: readonly Budget[], nowMs: number): WantedMeter[] {
  const wanted = new Map<string, WantedMeter>();
  for (const budget of budgets) {
    const meter: Meter = { scope: budget.scope, tool: budget.tool, model: budget.model };
    const from = Math.min(periodAt(budget.period, budget.timeZone, nowMs).startMs, nowMs - LOOK_BACK_MS);
    const sinceMs = floorTo(from, DAY_MS);
    const key = meterKey(meter);
    const known = wanted.get(key);
    if (known === undefined || sinceMs < known.sinceMs) wanted.set(key, { meter, sinceMs });
  }
  return [...wanted.values()];
}

/** How much one run folds at most when it is behind (after an outage): the next runs go on from there. */
export const MAX_FOLD_SPAN_MS = 6 * HOUR_MS;

export interface FoldRun {
  readonly foldedThroughMs: number;
  /** The state it saved, for a spend source over what it just wrote. */
  readonly state: FoldState;
  /** Minutes summed again because a writer marked them late. */
  readonly refolded: number;
  /** Meters whose sums were built from their `since` this run: new budgets, or a lost fold state. */
  readonly backfilled: readonly string[];
  /** Meters with spend in what this run folded: their budgets' standing may have changed. */
  readonly changed: ReadonlySet<string>;
}

/**
 * Turns cells into per-meter sums: each closed minute's spend per meter, and each closed UTC day's total.
 * Only one fold runs at a time (the scheduled Lambda's reserved concurrency is 1), and every write is a put
 * of a value recomputed from the cells, so a run that dies part-way is simply done again by the next: the
 * fold state moves last, and late marks are cleared after it.
 */
export async function foldLedger(table: LedgerTable, wanted: readonly WantedMeter[], nowMs: number): Promise<FoldRun> {
  const closeTo = floorTo(nowMs - CLOSE_AFTER_MS, MINUTE_MS);
  const state: FoldState = (await table.foldState()) ?? { foldedThroughMs: closeTo, meters: {} };
  const from = state.foldedThroughMs;
  const to = Math.max(from, Math.min(closeTo, from + MAX_FOLD_SPAN_MS));
  const marks = (await table.lateMarks()).filter((mark) => mark.minuteMs < from);
  const known = wanted.filter((entry) => (state.meters[meterKey(entry.meter)] ?? Number.POSITIVE_INFINITY) <= entry.sinceMs);
  const fresh = wanted.filter((entry) => !known.includes(entry));
  const changed = new Set<string>();

  const fold = async (entries: readonly WantedMeter[], cells: readonly LedgerCell[], closedDays: Iterable<number>) => {
    for (const { meter } of entries) {
      const key = meterKey(meter);
      const minutes = minuteSpends(meter, cells);
      if (minutes.size > 0) {
        changed.add(key);
        await table.putSums(key, 'minute', minutes);
      }
      const days = new Map<number, Spend>();
      for (const day of closedDays) {
        const sums = await table.sums(key, 'minute', day, day + DAY_MS);
        if (sums.size > 0) days.set(day, [...sums.values()].reduce(addSpend, ZERO_SPEND));
      }
      if (days.size > 0) await table.putSums(key, 'day', days);
    }
  };
  const closedBy = (days: Iterable<number>, throughMs: number) => [...days].filter((day) => day + DAY_MS <= throughMs);

  if (to > from && known.length > 0) {
    // A day closes when the fold passes its end, whether or not its last minutes held spend.
    const crossed = closedBy(unitStarts(floorTo(from, DAY_MS), to, DAY_MS), to).filter((day) => day + DAY_MS > from);
    await fold(known, mergeCells(await table.cells(from, to)), crossed);
  }
  for (const mark of marks) {
    if (known.length === 0) break;
    await fold(known, mergeCells(await table.cells(mark.minuteMs, mark.minuteMs + MINUTE_MS)), closedBy([floorTo(mark.minuteMs, DAY_MS)], to));
  }
  for (const entry of fresh) {
    const cells = mergeCells(await table.cells(entry.sinceMs, to));
    await fold([entry], cells, closedBy(unitStarts(entry.sinceMs, to, DAY_MS), to));
  }

  const meters: Record<string, number> = {};
  for (const entry of wanted) meters[meterKey(entry.meter)] = entry.sinceMs;
  const saved: FoldState = { foldedThroughMs: to, meters };
  await table.saveFoldState(saved);
  for (const mark of marks) await table.clearLate(mark);
  return { foldedThroughMs: to, state: saved, refolded: known.length > 0 ? marks.length : 0, backfilled: fresh.map((entry) => meterKey(entry.meter)), changed };
}

/** The starts of the `unit`s in [fromMs, toMs), fromMs aligned to `unit`. */
function unitStarts(fromMs: number, toMs: number, unit: number): number[] {
  const starts: number[] = [];
  for (let start = fromMs; start < toMs; start += unit) starts.push(start);
  return starts;
}
