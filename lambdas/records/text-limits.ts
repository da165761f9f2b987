import type { UnpricedRecord } from './types.ts';

/**
 * The longest text each record field keeps, in UTF-16 code units. Real clients stay far below these (model
 * ids are under 60, emails at most 254 by RFC 5321), so a longer value is a broken or hostile client: keeping
 * it whole would let one export grow the store, the reports and every reader's memory by megabytes.
 */
export const TEXT_LIMITS = {
  tool: 64,
  user_email: 254,
  user_id: 128,
  organization_id: 128,
  repo: 200,
  session_id: 128,
  terminal: 64,
  client_version: 64,
  model: 128,
  detail: 128,
  event: 64,
  request_id: 128,
  /** Free text of `api_error` events: enough for the reason, not a dumped response body. */
  error: 500,
} as const;

type LimitedField = keyof typeof TEXT_LIMITS;
const LIMITED_FIELDS = Object.keys(TEXT_LIMITS) as LimitedField[];

/** Cuts at the limit without leaving half of a surrogate pair behind. */
function cut(value: string, limit: number): string {
  const head = value.slice(0, limit);
  const last = head.charCodeAt(head.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? head.slice(0, -1) : head;
}

export interface CappedRecords {
  readonly records: UnpricedRecord[];
  /** How many values of each field were cut. */
  readonly truncated: ReadonlyMap<LimitedField, number>;
}

/** Keeps the record (its tokens are real usage) and cuts only the text that is over its field's limit. */
export function capRecordText(records: readonly UnpricedRecord[]): CappedRecords {
  const truncated = new Map<LimitedField, number>();
  const capped = records.map((record) => {
    let copy: Record<string, unknown> | undefined;
    for (const field of LIMITED_FIELDS) {
      const value = (record as unknown as Record<string, unknown>)[field];
      if (typeof value !== 'string' || value.length <= TEXT_LIMITS[field]) continue;
      copy ??= { ...record };
      copy[field] = cut(value, TEXT_LIMITS[field]);
      truncated.set(field, (truncated.get(field) ?? 0) + 1);
    }
    return copy === undefined ? record : (copy as unknown as UnpricedRecord);
  });
  return { records: capped, truncated };
}
