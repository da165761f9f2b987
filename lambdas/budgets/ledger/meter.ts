import type { BudgetScope } from '../definition.ts';
import { scopeText } from '../definition.ts';
import type { Spend } from '../spend.ts';
import type { LedgerCell, LedgerEntry } from './ledger-cells.ts';

/**
 * What a budget counts, without its period or zone: the ledger keeps sums per meter by UTC minute, hour and
 * day, and any period in any zone (all offsets are whole quarter-hours) is a range of those.
 */
export interface Meter {
  readonly scope: BudgetScope;
  readonly tool: string | null;
  readonly model: string | null;
}

/** Stable and readable: `team:payments|tool=claude_code|model=*`. */
export function meterKey(meter: Meter): string {
  return `${scopeText(meter.scope)}|tool=${meter.tool ?? '*'}|model=${meter.model ?? '*'}`;
}

/** The same rows DuckDbSpendSource selects for the scope: a team is the one stamped on the record at ingest. */
export function counts(meter: Meter, user: string, entry: LedgerEntry): boolean {
  if (meter.tool !== null && entry.tool !== meter.tool) return false;
  if (meter.model !== null && entry.model !== meter.model) return false;
  const scope = meter.scope;
  switch (scope.kind) {
    case 'org':
      return true;
    case 'team':
      return entry.team === scope.team;
    case 'user':
      return user === scope.email;
    case 'repo':
      return entry.repo === scope.repo;
  }
}

export const ZERO_SPEND: Spend = Object.freeze({ usd: 0, tokens: 0, unpricedTokens: 0 });

export function addSpend(a: Spend, b: Spend): Spend {
  return { usd: a.usd + b.usd, tokens: a.tokens + b.tokens, unpricedTokens: a.unpricedTokens + b.unpricedTokens };
}

export function entrySpend(entry: LedgerEntry): Spend {
  return { usd: entry.usd ?? 0, tokens: entry.tokens, unpricedTokens: entry.usd === null ? entry.tokens : 0 };
}

export const isZero = (spend: Spend): boolean => spend.usd === 0 && spend.tokens === 0;

/** Each minute's spend of the meter in `cells`, only minutes where it spent. */
export function minuteSpends(meter: Meter, cells: readonly LedgerCell[]): Map<number, Spend> {
  const sums = new Map<number, Spend>();
  for (const cell of cells) {
    for (const entry of cell.entries.values()) {
      if (!counts(meter, cell.user, entry)) continue;
      sums.set(cell.minuteMs, addSpend(sums.get(cell.minuteMs) ?? ZERO_SPEND, entrySpend(entry)));
    }
  }
  return sums;
}
