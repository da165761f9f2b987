import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { SeriesState } from '../../temporality/series-state.ts';

/** One series' baseline as a DynamoDB item; `expires_at` is the table's TTL attribute. */
export type SeriesStateItem = Record<string, AttributeValue>;

const SECONDS_PER_DAY = 86_400;

/** Epoch seconds at which DynamoDB may drop a baseline that nobody has advanced since. */
export function expiresAt(nowMs: number, ttlDays: number): number {
  return Math.floor(nowMs / 1000) + ttlDays * SECONDS_PER_DAY;
}

/**
 * The timestamp goes as the bigint's own decimal string: DynamoDB numbers keep 38 digits, a JS number
 * would round nanoseconds past 2^53. The value is a finite double (the normalizer rejects the rest), and
 * String() of a double parses back to the same double.
 */
export function seriesStateItem(seriesKey: string, state: SeriesState, expiresAtSeconds: number): SeriesStateItem {
  return {
    series_key: { S: seriesKey },
    time_unix_nano: { N: state.timeUnixNano.toString() },
    value: { N: String(state.value) },
    expires_at: { N: String(expiresAtSeconds) },
  };
}

function numberText(item: SeriesStateItem, attribute: string): string {
  const text = item[attribute]?.N;
  if (text === undefined) throw new Error(`series state item lacks the number attribute ${attribute}`);
  return text;
}

export function seriesKeyOf(item: SeriesStateItem): string {
  const key = item.series_key?.S;
  if (key === undefined) throw new Error('series state item lacks the string attribute series_key');
  return key;
}

export function seriesStateOf(item: SeriesStateItem): SeriesState {
  return { timeUnixNano: BigInt(numberText(item, 'time_unix_nano')), value: Number(numberText(item, 'value')) };
}
