import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { doctorCommand } from '../../bin/commands/doctor.ts';
import { startLocalServer } from '../../lambdas/local/server.ts';
import type { LocalServer } from '../../lambdas/local/server.ts';
import { runCli } from '../support/run-cli.ts';

const TOKEN = 'doctor-token-0123456789';
let server: LocalServer;

beforeEach(async () => {
  server = await startLocalServer({ host: '127.0.0.1', port: 0, dataDir: mkdtempSync(join(tmpdir(), 'seatmeter-doctor-')), token: TOKEN });
});
afterEach(async () => server.close());

/** A receiver from before the read-back route: it takes exports, and answers 405 to any GET. */
async function receiverWithoutReadBack(): Promise<{ url: string; close(): Promise<void> }> {
  const old = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      if (request.method === 'POST') response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      else response.writeHead(405, { allow: 'POST', 'content-type': 'application/json' }).end('{"code":12,"message":"OTLP exports are POSTed"}');
    });
  });
  await new Promise<void>((resolve) => old.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(old.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        old.close(() => resolve());
        old.closeAllConnections();
      }),
  };
}

describe('seatmeter doctor', () => {
  it('proves every hop against the local receiver, reading the probe back through its route', async () => {
    const result = await runCli(['doctor', '--endpoint', `${server.url}/`, '--token', TOKEN]);
    expect([result.code, result.stdout.split('\n')]).toEqual([
      0,
      [
        expect.stringMatching(/^ok {4}reach the receiver: 200 in \d+ ms$/),
        'ok    probe accepted: no point rejected',
        expect.stringMatching(/^ok {4}probe stored at the far edge: read back from the store: 1 usage record \(session doctor-[0-9a-f-]{36}\)$/),
        '',
      ],
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

  it('fails the last hop, without waiting, when the receiver has no read-back route', async () => {
    const old = await receiverWithoutReadBack();
    const result = await runCli(['doctor', '--endpoint', old.url]);
    await old.close();
    expect(result.code).toBe(1);
    expect(result.stdout.split('\n').slice(1)).toEqual([
      'ok    probe accepted: no point rejected',
      expect.stringMatching(new RegExp(`^FAIL {2}probe stored at the far edge: no read-back route at ${old.url}/seatmeter/probe/doctor-[0-9a-f-]{36} \\(answered 405\\): update the receiver$`)),
      '',
    ]);
  }, 30_000);

  it.each([['-1'], ['soon']])('refuses --wait %s before sending anything', async (wait) => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const code = await doctorCommand.run(['--endpoint', server.url, `--wait=${wait}`]);
    expect([code, stderr.mock.calls]).toEqual([2, [[`--wait takes a number of seconds, 0 or more; got "${wait}"\n`]]]);
    stderr.mockRestore();
  });
});
