import { decodeOtlpRequest } from '../otlp/decode.ts';
import type { DecodeLimits, RawOtlpRequest } from '../otlp/decode.ts';
import type { Signal } from '../otlp/types.ts';
import { cumulativeSeriesKeys, normalizeRequest } from '../normalize/normalize.ts';
import type { Pricer } from '../pricing/types.ts';
import type { CanonicalRecord } from '../records/types.ts';
import type { RecordStore } from '../store/types.ts';
import type { SeriesStateStore } from '../temporality/series-state.ts';
import { describeOutcome } from './summary.ts';

export interface IngestPorts {
  readonly store: RecordStore;
  readonly state: SeriesStateStore;
  readonly pricer: Pricer;
  readonly limits?: Partial<DecodeLimits>;
  /**
   * Runs the read-state → store → save-state sequence of a request with cumulative points exclusively, for a
   * state store that cannot detect a concurrent update itself. Delta-only requests never take it.
   */
  readonly cumulativeLock?: <T>(work: () => Promise<T>) => Promise<T>;
}

export interface IngestReport {
  readonly signal: Signal;
  readonly encoding: 'protobuf' | 'json';
  readonly records: readonly CanonicalRecord[];
  readonly written: number;
  readonly duplicates: number;
  /** Data points, log records or spans the request held. */
  readonly items: number;
  readonly accepted: number;
  /** The OTLP `partial_success` for the client: what was dropped, and why. */
  readonly rejected: number;
  readonly message: string;
  readonly rejectedReasons: ReadonlyMap<string, number>;
  readonly ignored: ReadonlyMap<string, number>;
  readonly unknown: ReadonlyMap<string, number>;
  readonly unpriced: ReadonlyMap<string, number>;
}

function sum(counts: ReadonlyMap<string, number>): number {
  let total = 0;
  for (const count of counts.values()) total += count;
  return total;
}

/**
 * decode → normalize → price → store, then advance the cumulative baselines. The order is the contract:
 * the state moves only after the store accepted the records, so a failure anywhere before leaves the next
 * attempt to derive the same records (same ids) again. Throws OtlpDecodeError for a body that is not OTLP,
 * and whatever the store throws when it is unavailable; the caller maps those to 4xx and 503.
 */
export async function ingestOtlp(raw: RawOtlpRequest, ports: IngestPorts): Promise<IngestReport> {
  const { request, encoding } = decodeOtlpRequest(raw, ports.limits);
  if (request.signal === 'traces') {
    return {
      signal: 'traces',
      encoding,
      records: [],
      written: 0,
      duplicates: 0,
      items: request.spanCount,
      accepted: request.spanCount,
      rejected: 0,
      message: '',
      rejectedReasons: new Map(),
      ignored: new Map(),
      unknown: new Map(),
      unpriced: new Map(),
    };
  }
  const keys = cumulativeSeriesKeys(request);
  const derive = async () => {
    const state = keys.length === 0 ? new Map() : await ports.state.load(keys);
    const outcome = normalizeRequest(request, state, ports.pricer);
    const stored = await ports.store.write(outcome.records);
    if (outcome.stateUpdates.size > 0) await ports.state.save(outcome.stateUpdates);
    return { outcome, stored };
  };
  const { outcome, stored } = keys.length > 0 && ports.cumulativeLock !== undefined ? await ports.cumulativeLock(derive) : await derive();
  const rejected = sum(outcome.rejected);
  return {
    signal: request.signal,
    encoding,
    records: outcome.records,
    written: stored.written,
    duplicates: stored.duplicates,
    items: outcome.accepted + rejected + sum(outcome.unknown),
    accepted: outcome.accepted,
    rejected,
    message: describeOutcome(outcome),
    rejectedReasons: outcome.rejected,
    ignored: outcome.ignored,
    unknown: outcome.unknown,
    unpriced: outcome.unpriced,
  };
}
