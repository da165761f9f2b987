import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { status } from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCapture } from '../support/captures.ts';
import { exited, spawnServer } from '../support/local-server-process.ts';
import type { ServerProcess } from '../support/local-server-process.ts';
import { captureAsProtobuf, grpcExport } from '../support/otlp-grpc-client.ts';
import { runCli } from '../support/run-cli.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(args: readonly string[]): Promise<ServerProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'seatmeter-serve-'));
  const spawned = await spawnServer(dataDir, args);
  cleanups.push(async () => {
    spawned.child.kill('SIGTERM');
    await exited(spawned.child);
    rmSync(dataDir, { recursive: true, force: true });
  });
  return spawned;
}

describe('seatmeter serve', () => {
  it.each([
    [['--port', '99999'], {}, '--port "99999" is not a port number'],
    [[], { SEATMETER_PORT: 'http' }, '--port "http" is not a port number'],
    [[], { SEATMETER_PORT: ' ' }, '--port " " is not a port number'],
    [['--grpc-port', 'none'], {}, '--grpc-port "none" is not a port number'],
    [[], { SEATMETER_GRPC_PORT: '70000' }, '--grpc-port "70000" is not a port number'],
  ])('refuses %j %j before opening anything', async (args, env, message) => {
    const result = await runCli(['serve', ...args], env);
    expect([result.code, result.stderr]).toEqual([2, `seatmeter serve: ${message}\n`]);
  });
});

describe('seatmeter serve over OTLP/gRPC', () => {
  it('says where it takes OTLP/gRPC and stores what arrives there', async () => {
    const spawned = await serve([]);
    expect(spawned.grpcAddress).toMatch(/^127\.0\.0\.1:\d+$/);
    const capture = loadCapture('gemini/gemini-http-json/003-v1_metrics');
    const outcome = await grpcExport(spawned.grpcAddress ?? '', 'metrics', captureAsProtobuf(capture, 'metrics'), { gzip: true });
    expect(outcome.code).toBe(status.OK);
    const rows = (await (await fetch(`${spawned.url}/api/report?from=2026-11-01&to=2026-12-01`)).json()) as { model: string; input_tokens: number }[];
    expect(rows.map((r) => [r.model, r.input_tokens])).toEqual([['gemini-3.5-flash-lite', 111], ['gemini-3.8-flash', 321]]);
  });

  it('listens for HTTP only with --grpc-port off', async () => {
    const spawned = await serve(['--grpc-port', 'off']);
    expect(spawned.grpcAddress).toBeUndefined();
    expect(spawned.output.some((line) => line.includes('gRPC'))).toBe(false);
  });
});
