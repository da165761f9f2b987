import type { Spend } from '../spend.ts';
import type { LedgerCell } from './ledger-cells.ts';

/** A minute some writer marked late, and the mark's token: clearing it only if unchanged keeps a newer mark. */
export interface LateMark {
  readonly minuteMs: number;
  readonly token: string;
}

/**
 * How far the fold got: every minute before `foldedThroughMs` is in the meters' sums, and each meter's sums
 * are complete from its `since` (a UTC day start) on.
 */
export interface FoldState {
  readonly foldedThroughMs: number;
  readonly meters: Readonly<Record<string, number>>;
}

/** A budget's spend in its current period, as the last alerts run found it, and the definition it was for. */
export interface PublishedStanding {
  readonly meterKey: string;
  readonly startMs: number;
  readonly definition: string;
  readonly spend: Spend;
}

/** What every decision reads: one small item, rewritten by each alerts run. */
export interface PublishedStandings {
  readonly asOfMs: number;
  readonly budgets: Readonly<Record<string, PublishedStanding>>;
}

/** A meter's sums per UTC minute, or per UTC day for days the fold has closed. */
export type SumUnit = 'minute' | 'day';

/**
 * Where the spend ledger lives (one DynamoDB table in the deployment). Every write is a put of a value
 * derived from record ids, so a repeat of any of them changes nothing.
 */
export interface LedgerTable {
  putCells(cells: readonly LedgerCell[]): Promise<void>;
  /** The cell items of minutes in [fromMs, toMs), read consistently; merge them with mergeCells. */
  cells(fromMs: number, toMs: number): Promise<LedgerCell[]>;
  markLate(minutes: readonly number[]): Promise<void>;
  lateMarks(): Promise<LateMark[]>;
  /** Removes the mark unless a writer has marked the minute again since it was read. */
  clearLate(mark: LateMark): Promise<void>;
  putSums(meterKey: string, unit: SumUnit, sums: ReadonlyMap<number, Spend>): Promise<void>;
  /** The meter's sums of `unit`s starting in [fromMs, toMs), by their start. */
  sums(meterKey: string, unit: SumUnit, fromMs: number, toMs: number): Promise<Map<number, Spend>>;
  foldState(): Promise<FoldState | null>;
  saveFoldState(state: FoldState): Promise<void>;
  standings(): Promise<PublishedStandings | null>;
  publishStandings(standings: PublishedStandings): Promise<void>;
}
