import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FolderRawArchive } from '../../lambdas/archive/folder-archive.ts';
import type { ArchiveEntry, ArchivedRequest, RawArchive } from '../../lambdas/archive/types.ts';
import { ExportMetricsServiceResponse, Status } from '../../lambdas/otlp/proto.ts';
import { PriceBook } from '../../lambdas/pricing/price-book.ts';
import type { IngestCredential } from '../../lambdas/receiver/credential-types.ts';
import { CredentialSourceError } from '../../lambdas/receiver/credential-types.ts';
import { createReceiverHandler } from '../../lambdas/receiver/lambda-handler.ts';
import type { UsageRecord } from '../../lambdas/records/types.ts';
import { StorageRefusedError, StorageUnavailableError } from '../../lambdas/store/errors.ts';
import { InMemoryRecordStore } from '../../lambdas/store/memory.ts';
import { InMemorySeriesStateStore } from '../../lambdas/temporality/series-state.ts';
import { apiGatewayEvent } from '../support/api-gateway-events.ts';
import { CAPTURES, loadCapture } from '../support/captures.ts';
import { usage } from '../support/records.ts';

const TEAM = { id: 'team', secret: 'team-token-0123456789' };
const ADA = { id: 'ada', secret: 'ada-token-0123456789', userEmail: 'ada@example.com' };
const BEARER = { authorization: `Bearer ${TEAM.secret}` };
const pricer = new PriceBook({ version: 'test', models: [] });

async function collect(archive: RawArchive): Promise<ArchivedRequest[]> {
  const out: ArchivedRequest[] = [];
  for await (const entry of archive.list(Date.now() - 3_600_000, Date.now() + 3_600_000)) out.push(entry);
  return out;
}

function setup(overrides: { credentials?: () => Promise<readonly IngestCredential[]>; archive?: RawArchive; store?: InMemoryRecordStore } = {}) {
  const store = overrides.store ?? new InMemoryRecordStore();
  const archive = overrides.archive ?? new FolderRawArchive({ dir: mkdtempSync(join(tmpdir(), 'seatmeter-archive-')) });
  const logs: Readonly<Record<string, unknown>>[] = [];
  const handler = createReceiverHandler({
    credentials: { credentials: overrides.credentials ?? (async () => [TEAM, ADA]) },
    ports: { store, state: new InMemorySeriesStateStore(), pricer },
    archive,
    probes: store,
    coverage: store,
    maxBodyBytes: 4 * 1024 * 1024,
    log: (entry) => logs.push(entry),
  });
  return { handler, store, archive, logs };
}

const metrics = loadCapture('claude/claude-protobuf-delta/002-v1_metrics');

describe('receiver Lambda handler', () => {
  it('stores every capture, archives every stored body, and answers 200 in the request encoding', async () => {
    const { handler, store, archive } = setup();
    const results = [];
    for (const [id] of CAPTURES) results.push(await handler(apiGatewayEvent(loadCapture(id), BEARER)));
    expect(new Set(results.map((r) => r.statusCode))).toEqual(new Set([200]));
    const usage = store.all().filter((r): r is UsageRecord => r.kind === 'usage');
    expect(usage.reduce((sum, r) => sum + r.input_tokens, 0)).toBe(11_622);
    const archived = await collect(archive);
    expect(archived).toHaveLength(CAPTURES.filter(([, signal]) => signal !== 'traces').length);
    expect(new Set(archived.map((a) => a.credentialId))).toEqual(new Set(['team']));
    const archivedText = archived.map((a) => Buffer.from(a.body).toString('latin1')).join('');
    expect(['say hi', 'run echo hi', 'process.command_args'].filter((needle) => archivedText.includes(needle))).toEqual([]);
    const first = await handler(apiGatewayEvent(metrics, BEARER));
    expect([first.headers?.['content-type'], first.isBase64Encoded]).toEqual(['application/x-protobuf', true]);
    expect(ExportMetricsServiceResponse.toObject(ExportMetricsServiceResponse.decode(Buffer.from(first.body ?? '', 'base64')))).toEqual({});
  });

  it('writes nothing new for a retried request, gzipped or not', async () => {
    const { handler, store } = setup();
    await handler(apiGatewayEvent(metrics, BEARER));
    const before = store.all();
    await handler(apiGatewayEvent(metrics, BEARER));
    await handler(apiGatewayEvent({ ...metrics, body: gzipSync(metrics.body), contentEncoding: 'gzip' }, BEARER));
    expect(store.all()).toEqual(before);
  });

  it.each([
    ['no credentials', {}, 'missing'],
    ['a wrong token', { authorization: 'Bearer nope-nope-nope-nope' }, 'wrong'],
  ])('answers 401 with a challenge for %s, and stores and archives nothing', async (_name, headers, failure) => {
    const { handler, store, archive, logs } = setup();
    const result = await handler(apiGatewayEvent(metrics, headers));
    expect([result.statusCode, result.headers?.['www-authenticate']]).toEqual([401, 'Basic realm="seatmeter", Bearer realm="seatmeter"']);
    expect([store.all(), await collect(archive)]).toEqual([[], []]);
    expect(logs).toMatchObject([{ status: 401, authFailure: failure }]);
    expect(JSON.stringify(logs)).not.toContain('nope-nope');
  });

  it('accepts every credential of a rotation and stamps a bound one\'s user', async () => {
    const { handler, store } = setup();
    expect((await handler(apiGatewayEvent(metrics, { authorization: `Bearer ${ADA.secret}` }))).statusCode).toBe(200);
    expect(new Set(store.all().map((r) => r.user_email))).toEqual(new Set(['ada@example.com']));
  });

  it('answers 503 with Retry-After when the archive fails, so nothing unarchived is acknowledged', async () => {
    const failing: RawArchive = {
      put: (_entry: ArchiveEntry) => Promise.reject(new Error('s3 down')),
      list: () => (async function* () {})(),
    };
    const { handler } = setup({ archive: failing });
    const result = await handler(apiGatewayEvent(metrics, BEARER));
    expect([result.statusCode, result.headers?.['retry-after']]).toEqual([503, '5']);
  });

  it('answers 503 with Retry-After when storage is unavailable', async () => {
    const store = new InMemoryRecordStore();
    store.write = () => Promise.reject(new StorageUnavailableError('timestream throttled past the deadline'));
    const { handler, archive } = setup({ store });
    const result = await handler(apiGatewayEvent(metrics, BEARER));
    expect([result.statusCode, result.headers?.['retry-after']]).toEqual([503, '5']);
    expect(await collect(archive)).toEqual([]);
  });

  it('answers 503 when the credentials cannot be read', async () => {
    const { handler } = setup({ credentials: () => Promise.reject(new CredentialSourceError('secret unreadable')) });
    expect((await handler(apiGatewayEvent(metrics, BEARER))).statusCode).toBe(503);
  });

  it('refuses an oversized body with 413 and says why', async () => {
    const { handler, archive } = setup();
    const result = await handler(apiGatewayEvent({ ...metrics, body: new Uint8Array(5 * 1024 * 1024) }, BEARER));
    expect(result.statusCode).toBe(413);
    expect(JSON.parse(Buffer.from(result.body ?? '', 'base64').toString()).message).toContain("Lambda's 6 MB payload limit");
    expect(await collect(archive)).toEqual([]);
  });

  it('refuses a body that inflates past the decompressed limit with 413 naming the limit, archiving nothing', async () => {
    const { handler, archive } = setup();
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
    const result = await handler(apiGatewayEvent({ ...metrics, body: bomb, contentEncoding: 'gzip' }, BEARER));
    expect(result.statusCode).toBe(413);
    expect(Status.decode(Buffer.from(result.body ?? '', 'base64')).toJSON()).toMatchObject({ message: `decompressed body exceeds ${16 * 1024 * 1024} bytes` });
    expect(await collect(archive)).toEqual([]);
  });

  it('refuses a malformed body with 400 and a google.rpc.Status, archiving nothing', async () => {
    const { handler, archive } = setup();
    const result = await handler(apiGatewayEvent({ ...metrics, body: new Uint8Array([0x0a, 0xff, 0xff]) }, BEARER));
    expect(result.statusCode).toBe(400);
    expect(Status.decode(Buffer.from(result.body ?? '', 'base64')).toJSON()).toMatchObject({ code: 3 });
    expect(await collect(archive)).toEqual([]);
  });

  it.each([
    ['GET', '/v1/metrics'],
    ['PUT', '/seatmeter/probe/doctor-1'],
    ['DELETE', '/v1/metrics'],
    ['GET', '/seatmeter/probe/doctor-1/more'],
  ])('refuses %s %s with 405: exports are POSTed, and GET serves only the read-back', async (method, path) => {
    const { handler, store } = setup();
    const result = await handler(apiGatewayEvent({ ...metrics, path }, BEARER, method));
    expect([result.statusCode, result.headers?.allow]).toEqual([405, 'POST']);
    expect(store.all()).toEqual([]);
  });
});

describe("receiver Lambda handler: doctor's read-back route", () => {
  const SESSION = 'doctor-0b9a1c1e-5d7e-4c2f-9a51-2f0b8e6c4d3a';
  const probeGet = (path: string, headers: Record<string, string> = BEARER) =>
    apiGatewayEvent({ ...metrics, path, body: new Uint8Array(), contentType: '' }, headers, 'GET');
  const answerOf = (result: { body?: string }) => JSON.parse(Buffer.from(result.body ?? '', 'base64').toString()) as unknown;

  async function storedProbe() {
    const store = new InMemoryRecordStore();
    await store.write([usage({ id: 'probe-1', tool: 'seatmeter-doctor', session_id: SESSION, time_ms: Date.now() })]);
    return setup({ store });
  }

  it('answers 200 with the records per kind once the probe is stored, behind any prefix', async () => {
    const { handler, logs } = await storedProbe();
    for (const path of [`/seatmeter/probe/${SESSION}`, `/otlp/team-a/seatmeter/probe/${SESSION}`]) {
      const result = await handler(probeGet(path));
      expect([result.statusCode, result.headers?.['content-type'], answerOf(result)]).toEqual([
        200,
        'application/json',
        { session_id: SESSION, found: true, records: { usage: 1, activity: 0, request: 0 } },
      ]);
    }
    expect(logs).toMatchObject([
      { status: 200, outcome: 'probe found', credentialId: 'team' },
      { status: 200, outcome: 'probe found', credentialId: 'team' },
    ]);
  });

  it('answers 404 with found: false while nothing of the session is stored', async () => {
    const { handler } = await storedProbe();
    const result = await handler(probeGet('/seatmeter/probe/doctor-nothing-yet'));
    expect([result.statusCode, answerOf(result)]).toEqual([404, { session_id: 'doctor-nothing-yet', found: false, records: { usage: 0, activity: 0, request: 0 } }]);
  });

  it.each([
    ['no credentials', {}],
    ['a wrong token', { authorization: 'Bearer nope-nope-nope-nope' }],
  ])('answers 401 with a challenge for %s, before looking at the store', async (_name, headers) => {
    const { handler, store } = await storedProbe();
    store.probeRecords = () => Promise.reject(new Error('the store must not be asked'));
    const result = await handler(probeGet(`/seatmeter/probe/${SESSION}`, headers));
    expect([result.statusCode, result.headers?.['www-authenticate']]).toEqual([401, 'Basic realm="seatmeter", Bearer realm="seatmeter"']);
  });

  it('answers 400 for a session id that could not be interpolated safely, asking the store nothing', async () => {
    const { handler, store } = await storedProbe();
    store.probeRecords = () => Promise.reject(new Error('the store must not be asked'));
    const result = await handler(probeGet("/seatmeter/probe/x'%20OR%20'1'='1"));
    expect([result.statusCode, answerOf(result)]).toEqual([400, { error: 'a probe session id is 1 to 64 characters of A-Z, a-z, 0-9 and -' }]);
  });

  it('answers 503 with Retry-After while the store cannot answer', async () => {
    const { handler, store } = await storedProbe();
    store.probeRecords = () => Promise.reject(new StorageUnavailableError('Timestream could not answer the probe query on seatmeter.events (ThrottlingException)'));
    const result = await handler(probeGet(`/seatmeter/probe/${SESSION}`));
    expect([result.statusCode, result.headers?.['retry-after'], answerOf(result)]).toEqual([
      503,
      '5',
      { error: 'store unavailable; retry later (Timestream could not answer the probe query on seatmeter.events (ThrottlingException))' },
    ]);
  });

  it('answers 500 naming the cause when the store refuses the read for good', async () => {
    const { handler, store } = await storedProbe();
    store.probeRecords = () => Promise.reject(new StorageRefusedError('Timestream refused the probe query on seatmeter.events (AccessDeniedException)'));
    const result = await handler(probeGet(`/seatmeter/probe/${SESSION}`));
    expect([result.statusCode, answerOf(result)]).toEqual([500, { error: 'Timestream refused the probe query on seatmeter.events (AccessDeniedException)' }]);
  });
});
