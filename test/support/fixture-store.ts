import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalServer } from '../../lambdas/local/server.ts';
import { replayAllCaptures } from './http-replay.ts';

/** The UTC day every capture was taken on. */
export const FIXTURE_DAY = '2026-11-22';

/**
 * A data directory filled the way a user fills one: `seatmeter serve` receiving every captured request once.
 * The server is closed on return, so the directory's database can be opened by the caller.
 */
export async function fixtureDataDir(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'seatmeter-fixture-store-'));
  const server = await startLocalServer({ host: '127.0.0.1', port: 0, dataDir });
  try {
    const statuses = await replayAllCaptures(server.url);
    const refused = statuses.filter((status) => status !== 200);
    if (refused.length > 0) throw new Error(`the local server refused captures: ${refused.join(', ')}`);
  } finally {
    await server.close();
  }
  return dataDir;
}
