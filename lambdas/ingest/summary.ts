import type { NormalizeOutcome } from '../normalize/types.ts';
import type { PricedRecords } from '../pricing/price-records.ts';

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
  outcome: Pick<NormalizeOutcome, 'rejected' | 'unknown'> & Pick<PricedRecords, 'unpriced'>,
  identityOverrides = 0,
  boundUserEmail?: string,
): string {
  const parts: string[] = [];
  if (outcome.rejected.size > 0) parts.push(`rejected: ${list(outcome.rejected)}`);
  if (outcome.unknown.size > 0) parts.push(`not metered (unknown to seatmeter): ${list(outcome.unknown)}`);
  if (outcome.unpriced.size > 0) parts.push(`stored without cost (no price for model, tokens): ${list(outcome.unpriced)}`);
  if (identityOverrides > 0) parts.push(`${identityOverrides} records named another user; stored as ${boundUserEmail ?? ''}, the credential's user`);
  const message = parts.join('; ');
  return message.length <= MAX_MESSAGE_CHARS ? message : `${message.slice(0, MAX_MESSAGE_CHARS - 1)}…`;
}
