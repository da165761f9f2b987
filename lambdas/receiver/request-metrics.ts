import type { IngestReport } from '../ingest/ingest.ts';
import { sumCounts } from '../normalize/counts.ts';
import type { Signal } from '../otlp/types.ts';
import { emfDocument } from '../metrics/emf.ts';
import type { EmfMetric } from '../metrics/emf.ts';

/** The only dimension: one value per Lambda, so every metric is a single series an alarm can watch. */
const SERVICE = 'receiver';
/** Reason texts hold metric and event names a client chose: bounded, so no request can bloat its log line. */
const MAX_LOGGED_REASONS = 10;
const MAX_REASON_CHARS = 200;

/** What the receiver knows about one request when it answers; never payload content, never a credential. */
export type RequestFacts = {
  requestId: string;
  method: string;
  path: string;
  status: number;
  /** The answer's summary, or the error message of a 4xx or 503. */
  outcome: string;
  ms: number;
  credentialId?: string;
  authFailure?: 'missing' | 'wrong';
  signal?: Signal;
  /** Data points, log records or spans the request held. */
  items?: number;
  accepted?: number;
  stored?: number;
  duplicates?: number;
  rejected?: number;
  /** The most frequent rejection reasons, with their counts. */
  rejectedReasons?: Readonly<Record<string, number>>;
  /** Points of metrics, or log records of events, that seatmeter does not meter. */
  unknownItems?: number;
  unpricedTokens?: number;
  /** Records that name no user even after the credential's binding. */
  recordsWithoutIdentity?: number;
  identityOverrides?: number;
  archiveKey?: string;
  /** The error's name only: its message could quote the request. */
  archiveError?: string;
};

/** Counted by the stores' callbacks while one request is handled, outside the handler's view. */
export type RequestCounters = {
  storageRetries: number;
  seriesStateConflicts: number;
};

function loggedReasons(reasons: ReadonlyMap<string, number>): Record<string, number> {
  const logged: Record<string, number> = {};
  const ranked = [...reasons].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0));
  for (const [reason, count] of ranked.slice(0, MAX_LOGGED_REASONS)) {
    const text = reason.length <= MAX_REASON_CHARS ? reason : `${reason.slice(0, MAX_REASON_CHARS - 1)}…`;
    logged[text] = (logged[text] ?? 0) + count;
  }
  return logged;
}

/** The facts an ingest report adds: counts, and the rejection reasons partial_success already tells the client. */
export function reportFacts(report: IngestReport): Pick<
  RequestFacts,
  | 'signal'
  | 'items'
  | 'accepted'
  | 'stored'
  | 'duplicates'
  | 'rejected'
  | 'rejectedReasons'
  | 'unknownItems'
  | 'unpricedTokens'
  | 'recordsWithoutIdentity'
  | 'identityOverrides'
> {
  return {
    signal: report.signal,
    items: report.items,
    accepted: report.accepted,
    stored: report.written,
    duplicates: report.duplicates,
    rejected: report.rejected,
    ...(report.rejectedReasons.size === 0 ? {} : { rejectedReasons: loggedReasons(report.rejectedReasons) }),
    unknownItems: sumCounts(report.unknown),
    unpricedTokens: sumCounts(report.unpriced),
    recordsWithoutIdentity: report.records.filter((record) => record.user_email === null).length,
    identityOverrides: report.identityOverrides,
  };
}

const count = (name: string, value: number): EmfMetric => ({ name, unit: 'Count', value });

/**
 * The request's log line as an EMF document: the facts stay plain members for Logs Insights, and every metric
 * is present on every request, zero included, so that the Average of a 0/1 metric is a rate (of 5xx, of auth
 * failures) and an alarm never sees a gap where nothing went wrong.
 */
export function requestMetricsDocument(facts: Readonly<RequestFacts>, counters: Readonly<RequestCounters>, timestampMs: number, namespace: string): Record<string, unknown> {
  const statusClass = Math.floor(facts.status / 100);
  return emfDocument({
    namespace,
    dimensions: { Service: SERVICE },
    timestampMs,
    properties: facts,
    metrics: [
      count('Requests', 1),
      count('Status2xx', statusClass === 2 ? 1 : 0),
      count('Status4xx', statusClass === 4 ? 1 : 0),
      count('Status5xx', statusClass === 5 ? 1 : 0),
      count('AuthFailures', facts.authFailure === undefined ? 0 : 1),
      count('DataPointsReceived', facts.items ?? 0),
      count('DataPointsAccepted', facts.accepted ?? 0),
      count('DataPointsRejected', facts.rejected ?? 0),
      count('RecordsStored', facts.stored ?? 0),
      count('RecordsDuplicate', facts.duplicates ?? 0),
      count('UnpricedTokens', facts.unpricedTokens ?? 0),
      count('RecordsWithoutIdentity', facts.recordsWithoutIdentity ?? 0),
      count('UnknownMetricPoints', facts.unknownItems ?? 0),
      count('StorageRetries', counters.storageRetries),
      count('ArchiveFailures', facts.archiveError === undefined ? 0 : 1),
      count('SeriesStateConflicts', counters.seriesStateConflicts),
      { name: 'Latency', unit: 'Milliseconds', value: facts.ms },
    ],
  });
}
