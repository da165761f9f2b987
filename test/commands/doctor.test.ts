import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startLocalServer } from '../../lambdas/local/server.ts';
import type { LocalServer } from '../../lambdas/local/server.ts';
import { FolderRawArchive } from '../../lambdas/archive/folder-archive.ts';
import { PriceBook } from '../../lambdas/pricing/price-book.ts';
import { createReceiverHandler } from '../../lambdas/receiver/lambda-handler.ts';
import { InMemoryRecordStore } from '../../lambdas/store/memory.ts';
import { InMemorySeriesStateStore } from '../../lambdas/temporality/series-state.ts';
import { startLambdaHttpAdapter } from '../support/lambda-http-adapter.ts';
import { runCli } from '../support/run-cli.ts';

let server: LocalServer;

beforeEach(async () => {
  server = await startLocalServer({ host: '127.0.0.1', port: 0, dataDir: mkdtempSync(join(tmpdir(), 'seatmeter-doctor-')), token: 'doctor-token-0123456789' });
});
afterEach(async () => server.close());

describe('seatmeter doctor', () => {
  it('proves every hop against the local receiver', async () => {
    const result = await runCli(['doctor', '--endpoint', `${server.url}/`, '--token', 'doctor-token-0123456789']);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')).toEqual([
      expect.stringMatching(/^ok {4}reach the receiver: 200 in \d+ ms$/),
      'ok    probe accepted: no point rejected',
      expect.stringMatching(/^ok {4}probe stored at the far edge: read back from the store \(session doctor-[0-9a-f-]{36}\)$/),
      '',
    ]);
  }, 30_000);

  it('stops at the first hop with a hint when the token is wrong', async () => {
    const result = await runCli(['doctor', '--endpoint', server.url, '--token', 'wrong-token-0123456789']);
    expect([result.code, result.stdout]).toEqual([1, 'FAIL  reach the receiver: answered 401 (credentials refused: check --token)\n']);
  }, 30_000);

  it('says when nothing answers', async () => {
    const result = await runCli(['doctor', '--endpoint', 'http://127.0.0.1:9']);
    expect([result.code, result.stdout]).toEqual([1, expect.stringMatching(/^FAIL {2}reach the receiver: no answer: /)]);
  }, 30_000);

  it('says where to look when the receiver (the Lambda) offers no read-back', async () => {
    const store = new InMemoryRecordStore();
    const lambda = createReceiverHandler({
      credentials: { credentials: async () => [{ id: 'team', secret: 'doctor-token-0123456789' }] },
      ports: { store, state: new InMemorySeriesStateStore(), pricer: new PriceBook({ version: 'test', models: [] }) },
      archive: new FolderRawArchive({ dir: mkdtempSync(join(tmpdir(), 'seatmeter-doctor-archive-')) }),
    });
    const adapter = await startLambdaHttpAdapter((event) => lambda(event));
    const result = await runCli(['doctor', '--endpoint', adapter.url, '--token', 'doctor-token-0123456789']);
    await adapter.close();
    expect(result.code).toBe(1);
    expect(result.stdout.split('\n')[2]).toMatch(/^FAIL {2}probe stored at the far edge: this receiver has no read-back route; look for it in the store: SELECT \* FROM "<database>"\."events" WHERE measure_name = 'usage' AND session_id = /);
    expect(store.all()).toMatchObject([{ kind: 'usage', tool: 'seatmeter-doctor', input_tokens: 1, estimated_cost_usd: null }]);
  }, 30_000);
});
