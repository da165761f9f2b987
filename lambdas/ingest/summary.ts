import type { NormalizeOutcome } from '../normalize/types.ts';
import type { PricedRecords } from '../pricing/price-records.ts';
import type { CappedRecords } from '../records/text-limits.ts';
import { TEXT_LIMITS } from '../records/text-limits.ts';

/** OTLP error messages end up in client logs; keep them readable rather than exhaustive. */
const MAX_MESSAGE_CHARS = 1000;

function list(counts: ReadonlyMap<string, number>): string {
  return [...counts].map(([name, count]) => `${name} ×${count}`).join(', ');
}

/**
 * The `partial_success.error_message`: rejections first (they lost data), then what was received but not
 * metered (unknown names, unpriced models), so a client operator sees every gap without reading our logs.
 */
export function describeOutcome(
  outcome: Pick<NormalizeOutcome, 'rejected' | 'unknown'> & Pick<PricedRecords, 'unpriced'> & Pick<CappedRecords, 'truncated'>,
  identityOverrides = 0,
  boundUserEmail?: string,
): string {
  const parts: string[] = [];
  if (outcome.rejected.size > 0) parts.push(`rejected: ${list(outcome.rejected)}`);
  if (outcome.unknown.size > 0) parts.push(`not metered (unknown to seatmeter): ${list(outcome.unknown)}`);
  if (outcome.unpriced.size > 0) parts.push(`stored without cost (no price for model, tokens): ${list(outcome.unpriced)}`);
  if (outcome.truncated.size > 0) {
    const fields = [...outcome.truncated].map(([field, count]) => `${field} ×${count} (limit ${TEXT_LIMITS[field]} chars)`);
    parts.push(`stored with text cut to its limit: ${fields.join(', ')}`);
  }
  if (identityOverrides > 0) parts.push(`${identityOverrides} records named another user; stored as ${boundUserEmail ?? ''}, the credential's user`);
  const message = parts.join('; ');
  return message.length <= MAX_MESSAGE_CHARS ? message : `${message.slice(0, MAX_MESSAGE_CHARS - 1)}…`;
}
