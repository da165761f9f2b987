import { decodeOtlpRequest } from '../otlp/decode.ts';
import type { DecodeLimits, RawOtlpRequest } from '../otlp/decode.ts';
import type { OtlpEncoding } from '../otlp/media-type.ts';
import type { Signal } from '../otlp/types.ts';
import { increment, sumCounts } from '../normalize/counts.ts';
import { normalizeRequest } from '../normalize/normalize.ts';
import { priceRecords } from '../pricing/price-records.ts';
import type { Pricer } from '../pricing/types.ts';
import { capRecordText } from '../records/text-limits.ts';
import type { CanonicalRecord } from '../records/types.ts';
import type { SpendLedgerWriter } from '../budgets/ledger/ledger-writer.ts';
import type { TeamDirectoryMap } from '../budgets/team-map.ts';
import type { RecordStore } from '../store/types.ts';
import { cumulativeSeries } from '../temporality/cumulative-series.ts';
import type { SeriesStateStore } from '../temporality/series-state.ts';
import { stampIdentity, stampTeams } from './stamps.ts';
import { describeOutcome } from './summary.ts';

export interface IngestPorts {
  readonly store: RecordStore;
  readonly state: SeriesStateStore;
  readonly pricer: Pricer;
  readonly limits?: Partial<DecodeLimits>;
  /**
   * Runs the read-state → store → save-state sequence of a request with cumulative points exclusively per
   * scope (see CumulativeSeries.scopes): two requests deriving deltas of one series from the same baseline
   * would both store the growth since it. Delta-only requests never take it.
   */
  readonly cumulativeLock?: CumulativeLock;
  /** The user → team map each record's `team` is stamped from; without one records carry no team. */
  readonly teams?: TeamDirectoryMap;
  /**
   * The deployed budgets' spend ledger, given the records once the store took them (duplicates too: a retry
   * after a crash between the two must still reach it). Locally the store itself is the ledger.
   */
  readonly ledger?: SpendLedgerWriter;
}

export type CumulativeLock = <T>(scopes: readonly string[], work: () => Promise<T>) => Promise<T>;

export interface IngestOptions {
  /** The user a bound credential speaks for: stamped on every record, overriding what the payload claims. */
  readonly boundUserEmail?: string | undefined;
}

export interface IngestReport {
  readonly signal: Signal;
  readonly encoding: OtlpEncoding;
  /** The decompressed body (see DecodedOtlpRequest.payload). */
  readonly payload: Uint8Array;
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
  /** Values cut to their field's limit (see TEXT_LIMITS), per field. */
  readonly truncated: ReadonlyMap<string, number>;
  /** Records whose payload named another user than the bound credential's. */
  readonly identityOverrides: number;
}

/**
 * decode → normalize → price → store, then advance the cumulative baselines. The order is the contract:
 * the state moves only after the store accepted the records, so a failure anywhere before leaves the next
 * attempt to derive the same records (same ids) again. Throws OtlpDecodeError for a body that is not OTLP,
 * and whatever the store throws when it is unavailable; the caller maps those to 4xx and 503.
 */
export async function ingestOtlp(raw: RawOtlpRequest, ports: IngestPorts, options: IngestOptions = {}): Promise<IngestReport> {
  const { request, encoding, payload } = decodeOtlpRequest(raw, ports.limits);
  if (request.signal === 'traces') {
    return {
      signal: 'traces',
      encoding,
      payload,
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
      truncated: new Map(),
      identityOverrides: 0,
    };
  }
  const { keys, scopes } = cumulativeSeries(request);
  const derive = async () => {
    const state = keys.length === 0 ? new Map() : await ports.state.load(keys);
    const outcome = normalizeRequest(request, state);
    const capped = capRecordText(outcome.records);
    const priced = priceRecords(capped.records, ports.pricer);
    const identityOverrides = options.boundUserEmail === undefined ? 0 : stampIdentity(priced.records, options.boundUserEmail);
    if (ports.teams !== undefined) stampTeams(priced.records, await ports.teams.current());
    const stored = await ports.store.write(priced.records);
    if (ports.ledger !== undefined) await ports.ledger.record(priced.records.filter((record) => !stored.rejectedIds.has(record.id)));
    if (outcome.stateUpdates.size > 0) await ports.state.save(outcome.stateUpdates);
    return { outcome, capped, priced, stored, identityOverrides };
  };
  const { outcome, capped, priced, stored, identityOverrides } = keys.length > 0 && ports.cumulativeLock !== undefined ? await ports.cumulativeLock(scopes, derive) : await derive();
  const items = outcome.accepted + sumCounts(outcome.rejected) + sumCounts(outcome.unknown);
  // A record the store refused is data the client sent that is not kept: it is rejected like a bad point.
  for (const [reason, count] of stored.rejected) increment(outcome.rejected, `store: ${reason}`, count);
  const storeRejected = sumCounts(stored.rejected);
  const rejected = sumCounts(outcome.rejected);
  return {
    signal: request.signal,
    encoding,
    payload,
    records: priced.records,
    written: stored.written,
    duplicates: stored.duplicates,
    items,
    accepted: Math.max(0, outcome.accepted - storeRejected),
    rejected,
    message: describeOutcome({ ...outcome, unpriced: priced.unpriced, truncated: capped.truncated }, identityOverrides, options.boundUserEmail),
    rejectedReasons: outcome.rejected,
    ignored: outcome.ignored,
    unknown: outcome.unknown,
    unpriced: priced.unpriced,
    truncated: capped.truncated,
    identityOverrides,
  };
}
