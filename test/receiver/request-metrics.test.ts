import { describe, expect, it } from 'vitest';
import type { IngestReport } from '../../lambdas/ingest/ingest.ts';
import { reportFacts, requestMetricsDocument } from '../../lambdas/receiver/request-metrics.ts';
import type { RequestFacts } from '../../lambdas/receiver/request-metrics.ts';
import { activity, usage } from '../support/records.ts';
import { directives, dimensionValues, metricValues } from '../support/emf-reading.ts';

const AT = Date.parse('2026-11-22T10:00:01.234Z');
const NO_COUNTS = { storageRetries: 0, seriesStateConflicts: 0 };
const REJECTED = 'gemini_cli.token.usage: unknown type "bogus"';

const ok: RequestFacts = {
  requestId: 'req-1',
  method: 'POST',
  path: '/v1/metrics',
  status: 200,
  outcome: `metrics json items=31 stored=5 duplicates=0 rejected=2 (rejected: ${REJECTED} ×2)`,
  ms: 87,
  credentialId: 'team',
  signal: 'metrics',
  items: 31,
  accepted: 29,
  stored: 5,
  duplicates: 0,
  rejected: 2,
  rejectedReasons: { [REJECTED]: 2 },
  unknownItems: 0,
  unpricedTokens: 1_410,
  recordsWithoutIdentity: 1,
  identityOverrides: 0,
  archiveKey: 'metrics/2026/11/22/10/req-1',
};
const unauthorized: RequestFacts = { requestId: 'req-2', method: 'POST', path: '/v1/logs', status: 401, outcome: 'missing or wrong credentials', ms: 3, authFailure: 'wrong' };
const storageDown: RequestFacts = {
  requestId: 'req-3',
  method: 'POST',
  path: '/v1/metrics',
  status: 503,
  outcome: 'storage unavailable, nothing was stored; retry later (Timestream still unavailable for seatmeter.usage after 4 attempts)',
  ms: 8_512,
  credentialId: 'team',
};

const ZERO_COUNTS = {
  AuthFailures: 0,
  DataPointsReceived: 0,
  DataPointsAccepted: 0,
  DataPointsRejected: 0,
  RecordsStored: 0,
  RecordsDuplicate: 0,
  UnpricedTokens: 0,
  RecordsWithoutIdentity: 0,
  UnknownMetricPoints: 0,
  StorageRetries: 0,
  ArchiveFailures: 0,
  SeriesStateConflicts: 0,
};

function report(overrides: Partial<IngestReport> = {}): IngestReport {
  return {
    signal: 'metrics',
    encoding: 'protobuf',
    payload: new Uint8Array(),
    records: [],
    written: 0,
    duplicates: 0,
    items: 0,
    accepted: 0,
    rejected: 0,
    message: '',
    rejectedReasons: new Map(),
    ignored: new Map(),
    unknown: new Map(),
    unpriced: new Map(),
    truncated: new Map(),
    identityOverrides: 0,
    ...overrides,
  };
}

describe('the request EMF document', () => {
  it('is the log line with its metrics declared under one Service dimension, for a 200 with rejections and unpriced tokens', () => {
    const document = requestMetricsDocument(ok, { storageRetries: 1, seriesStateConflicts: 2 }, AT, 'Seatmeter');
    expect(JSON.parse(JSON.stringify(document))).toEqual({
      _aws: {
        Timestamp: AT,
        CloudWatchMetrics: [
          {
            Namespace: 'Seatmeter',
            Dimensions: [['Service']],
            Metrics: [
              { Name: 'Requests', Unit: 'Count' },
              { Name: 'Status2xx', Unit: 'Count' },
              { Name: 'Status4xx', Unit: 'Count' },
              { Name: 'Status5xx', Unit: 'Count' },
              { Name: 'AuthFailures', Unit: 'Count' },
              { Name: 'DataPointsReceived', Unit: 'Count' },
              { Name: 'DataPointsAccepted', Unit: 'Count' },
              { Name: 'DataPointsRejected', Unit: 'Count' },
              { Name: 'RecordsStored', Unit: 'Count' },
              { Name: 'RecordsDuplicate', Unit: 'Count' },
              { Name: 'UnpricedTokens', Unit: 'Count' },
              { Name: 'RecordsWithoutIdentity', Unit: 'Count' },
              { Name: 'UnknownMetricPoints', Unit: 'Count' },
              { Name: 'StorageRetries', Unit: 'Count' },
              { Name: 'ArchiveFailures', Unit: 'Count' },
              { Name: 'SeriesStateConflicts', Unit: 'Count' },
              { Name: 'Latency', Unit: 'Milliseconds' },
            ],
          },
        ],
      },
      ...ok,
      Service: 'receiver',
      Requests: 1,
      Status2xx: 1,
      Status4xx: 0,
      Status5xx: 0,
      AuthFailures: 0,
      DataPointsReceived: 31,
      DataPointsAccepted: 29,
      DataPointsRejected: 2,
      RecordsStored: 5,
      RecordsDuplicate: 0,
      UnpricedTokens: 1_410,
      RecordsWithoutIdentity: 1,
      UnknownMetricPoints: 0,
      StorageRetries: 1,
      ArchiveFailures: 0,
      SeriesStateConflicts: 2,
      Latency: 87,
    });
  });

  it('counts a 401 as an auth failure and a 4xx, with every data metric at zero', () => {
    const document = requestMetricsDocument(unauthorized, NO_COUNTS, AT, 'Seatmeter');
    expect(metricValues(document)).toEqual({ ...ZERO_COUNTS, Requests: 1, Status2xx: 0, Status4xx: 1, Status5xx: 0, AuthFailures: 1, Latency: 3 });
    expect(document).toMatchObject({ requestId: 'req-2', status: 401, authFailure: 'wrong' });
  });

  it('counts a 503 from storage as a 5xx with the retries that preceded it', () => {
    const document = requestMetricsDocument(storageDown, { storageRetries: 4, seriesStateConflicts: 0 }, AT, 'Seatmeter');
    expect(metricValues(document)).toEqual({ ...ZERO_COUNTS, Requests: 1, Status2xx: 0, Status4xx: 0, Status5xx: 1, StorageRetries: 4, Latency: 8_512 });
  });

  it('counts a 503 from the archive as an archive failure, the records it stored still counted', () => {
    const document = requestMetricsDocument({ ...ok, status: 503, archiveError: 'NoSuchBucket' }, NO_COUNTS, AT, 'Seatmeter');
    expect(metricValues(document)).toMatchObject({ Status2xx: 0, Status5xx: 1, ArchiveFailures: 1, RecordsStored: 5 });
  });

  it.each([
    ['a 200', ok],
    ['a 401', unauthorized],
    ['a 503', storageDown],
  ])('declares, for %s, only metrics and dimensions whose values are at the top level, numbers and strings', (_name, facts) => {
    const document = requestMetricsDocument(facts, NO_COUNTS, AT, 'Seatmeter/dev');
    const [directive] = directives(document);
    expect([directives(document).length, directive?.Namespace, document._aws]).toMatchObject([1, 'Seatmeter/dev', { Timestamp: AT }]);
    expect(new Set(Object.values(metricValues(document)).map((value) => typeof value))).toEqual(new Set(['number']));
    expect(dimensionValues(document)).toEqual({ Service: 'receiver' });
  });
});

describe('reportFacts', () => {
  it('counts records without a user, unknown items and unpriced tokens from the report', () => {
    const facts = reportFacts(
      report({
        records: [usage(), usage({ id: 'usage-2', user_email: null }), activity({ user_email: null })],
        written: 3,
        items: 9,
        accepted: 7,
        unknown: new Map([
          ['brand_new.metric', 1],
          ['(log record without event.name)', 1],
        ]),
        unpriced: new Map([
          ['model-a', 1_000],
          ['model-b', 410],
        ]),
      }),
    );
    expect(facts).toEqual({
      signal: 'metrics',
      items: 9,
      accepted: 7,
      stored: 3,
      duplicates: 0,
      rejected: 0,
      unknownItems: 2,
      unpricedTokens: 1_410,
      recordsWithoutIdentity: 2,
      identityOverrides: 0,
    });
  });

  it('logs the ten most frequent rejection reasons, each cut to 200 characters', () => {
    const reason = (i: number) => `metric.${String(i).padStart(2, '0')}: not a number`;
    const reasons = new Map(Array.from({ length: 12 }, (_, i) => [reason(i), i + 1] as const));
    const facts = reportFacts(report({ rejected: 178, rejectedReasons: new Map([...reasons, [`${'x'.repeat(300)}: negative`, 100]]) }));
    expect(Object.entries(facts.rejectedReasons ?? {})).toEqual([
      [`${'x'.repeat(199)}…`, 100],
      ...Array.from({ length: 9 }, (_, i) => [reason(11 - i), 12 - i]),
    ]);
  });
});
