import { increment } from './counts.ts';
import type { NormalizeOutcome } from './types.ts';

export function emptyOutcome(): NormalizeOutcome {
  return { records: [], accepted: 0, rejected: new Map(), ignored: new Map(), unknown: new Map() };
}

export function reject(outcome: NormalizeOutcome, reason: string, count = 1): void {
  increment(outcome.rejected, reason, count);
}
