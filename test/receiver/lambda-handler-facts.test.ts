import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FolderRawArchive } from '../../lambdas/archive/folder-archive.ts';
import type { RawArchive } from '../../lambdas/archive/types.ts';
import { UNPRICED } from '../../lambdas/pricing/types.ts';
import { createReceiverHandler } from '../../lambdas/receiver/lambda-handler.ts';
import { requestMetricsDocument } from '../../lambdas/receiver/request-metrics.ts';
import type { RequestFacts } from '../../lambdas/receiver/request-metrics.ts';
import type { UsageRecord } from '../../lambdas/records/types.ts';
import { InMemoryRecordStore } from '../../lambdas/store/memory.ts';
import { InMemorySeriesStateStore } from '../../lambdas/temporality/series-state.ts';
import { apiGatewayEvent } from '../support/api-gateway-events.ts';
import { loadCapture } from '../support/captures.ts';
import { metricValues } from '../support/emf-reading.ts';

const TEAM = { id: 'team', secret: 'team-token-0123456789' };
const ADA = { id: 'ada', secret: 'ada-token-0123456789', userEmail: 'ada@example.com' };
const AT = Date.parse('2026-11-22T10:23:01Z');
const NO_COUNTS = { storageRetries: 0, seriesStateConflicts: 0 };

function setup(archive: RawArchive = new FolderRawArchive({ dir: mkdtempSync(join(tmpdir(), 'seatmeter-archive-')) })) {
  const facts: Readonly<RequestFacts>[] = [];
  const store = new InMemoryRecordStore();
  let clock = AT;
  const handler = createReceiverHandler({
    credentials: { credentials: async () => [TEAM, ADA] },
    // No model has a price: every token is unpriced.
    ports: { store, state: new InMemorySeriesStateStore(), pricer: { price: () => UNPRICED } },
    archive,
    probes: store,
    coverage: store,
    log: (entry) => facts.push(entry),
    now: () => (clock += 5),
  });
  return { handler, facts, store };
}

/** Gemini's metrics capture with its two `cache` token points retyped to a type no client sends. */
function geminiWithBogusTokenType() {
  const capture = loadCapture('gemini/gemini-http-json/003-v1_metrics');
  const text = Buffer.from(capture.body).toString('utf8').replaceAll('{"key":"type","value":{"stringValue":"cache"}}', '{"key":"type","value":{"stringValue":"bogus"}}');
  return { ...capture, body: new Uint8Array(Buffer.from(text)) };
}

describe('the receiver handler\'s facts for its metrics', () => {
  it('reports a 200 with rejections and unpriced tokens, the reasons kept as a log field', async () => {
    const { handler, facts, store } = setup();
    const result = await handler(apiGatewayEvent(geminiWithBogusTokenType(), { authorization: `Bearer ${TEAM.secret}` }));
    expect(result.statusCode).toBe(200);
    expect(facts).toHaveLength(1);
    const entry = facts[0] ?? expect.unreachable('no log line');
    expect(entry).toMatchObject({
      status: 200,
      credentialId: 'team',
      signal: 'metrics',
      items: 31,
      accepted: 29,
      rejected: 2,
      rejectedReasons: { 'gemini_cli.token.usage: unknown type "bogus"': 2 },
      unknownItems: 0,
      recordsWithoutIdentity: 0,
      ms: 5,
    });
    const metrics = metricValues(requestMetricsDocument(entry, NO_COUNTS, AT, 'Seatmeter'));
    expect(metrics).toMatchObject({ Status2xx: 1, DataPointsReceived: 31, DataPointsAccepted: 29, DataPointsRejected: 2, Latency: 5 });
    const usage = store.all().filter((record): record is UsageRecord => record.kind === 'usage');
    const tokens = usage.reduce((sum, r) => sum + r.input_tokens + r.cache_read_tokens + r.cache_write_tokens + r.output_tokens, 0);
    expect([usage.length > 0, metrics.UnpricedTokens, entry.unpricedTokens]).toEqual([true, tokens, tokens]);
  });

  it.each([
    ['the team credential', TEAM.secret, 4],
    ["Ada's bound credential", ADA.secret, 0],
  ])('counts the records left without a user, and unknown events, for Codex logs under %s', async (_name, token, withoutIdentity) => {
    const { handler, facts } = setup();
    await handler(apiGatewayEvent(loadCapture('codex/codex-binary/003-v1_logs'), { authorization: `Bearer ${token}` }));
    expect(facts).toMatchObject([{ status: 200, signal: 'logs', stored: 4, recordsWithoutIdentity: withoutIdentity, unknownItems: 1 }]);
  });

  it('names the archive error, and still reports what was stored', async () => {
    const { handler, facts } = setup({
      put: () => Promise.reject(Object.assign(new Error('bucket gone'), { name: 'NoSuchBucket' })),
      list: () => (async function* () {})(),
    });
    await handler(apiGatewayEvent(loadCapture('claude/claude-protobuf-delta/002-v1_metrics'), { authorization: `Bearer ${TEAM.secret}` }));
    expect(facts).toMatchObject([{ status: 503, archiveError: 'NoSuchBucket', stored: 3 }]);
    const entry = facts[0] ?? expect.unreachable('no log line');
    expect(metricValues(requestMetricsDocument(entry, NO_COUNTS, AT, 'Seatmeter'))).toMatchObject({ Status5xx: 1, ArchiveFailures: 1 });
  });
});
