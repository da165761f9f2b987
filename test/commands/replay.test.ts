import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FolderRawArchive } from '../../lambdas/archive/folder-archive.ts';
import { startLocalServer } from '../../lambdas/local/server.ts';
import type { ReportRow } from '../../lambdas/report/report-types.ts';
import { CAPTURES, loadCapture } from '../support/captures.ts';
import { fixtureTotalsInReportOrder } from '../support/fixture-totals.ts';
import { runCli } from '../support/run-cli.ts';

const RECEIVED = Date.parse('2026-11-22T10:00:00Z');
const RANGE = ['--from', '2026-11-22', '--to', '2026-11-23'];

/** An archive holding every stored capture, as the receiver would have written it, one second apart. */
async function archiveOfCaptures(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'seatmeter-replay-archive-'));
  const archive = new FolderRawArchive({ dir });
  let second = 0;
  for (const [id, signal] of CAPTURES.filter(([, s]) => s !== 'traces')) {
    const capture = loadCapture(id);
    await archive.put({
      body: capture.body,
      contentType: capture.contentType,
      contentEncoding: capture.contentEncoding,
      signal,
      credentialId: 'team',
      receivedAtMs: RECEIVED + 1000 * second,
      requestId: `r${second}`,
    });
    second += 1;
  }
  return dir;
}

async function reportRows(dataDir: string): Promise<[string | undefined, number][]> {
  const result = await runCli(['report', '--data-dir', dataDir, '--format', 'json', ...RANGE]);
  return (JSON.parse(result.stdout) as ReportRow[]).map((row) => [row.model ?? undefined, row.input_tokens]);
}

const EXPECTED = fixtureTotalsInReportOrder().map((row) => [row[2], row[3]]);

describe('seatmeter replay', () => {
  it('rebuilds exactly the README totals into an empty local store, and a second replay adds nothing', async () => {
    const archiveDir = await archiveOfCaptures();
    const dataDir = mkdtempSync(join(tmpdir(), 'seatmeter-replay-data-'));
    const first = await runCli(['replay', '--archive-dir', archiveDir, '--data-dir', dataDir, ...RANGE]);
    expect([first.code, first.stdout]).toEqual([0, expect.stringMatching(/^replayed 30 requests: \d+ records stored, 0 already stored, 0 points rejected, 0 requests undecodable\n$/)]);
    expect(await reportRows(dataDir)).toEqual(EXPECTED);
    const second = await runCli(['replay', '--archive-dir', archiveDir, '--data-dir', dataDir, ...RANGE]);
    expect(second.stdout).toMatch(/^replayed 30 requests: 0 records stored, \d+ already stored/);
    expect(await reportRows(dataDir)).toEqual(EXPECTED);
  }, 60_000);

  it('replays through the running server when there is one, and only the asked time range', async () => {
    const archiveDir = await archiveOfCaptures();
    const dataDir = mkdtempSync(join(tmpdir(), 'seatmeter-replay-data-'));
    const server = await startLocalServer({ host: '127.0.0.1', port: 0, dataDir });
    const none = await runCli(['replay', '--archive-dir', archiveDir, '--data-dir', dataDir, '--from', '2026-11-21', '--to', '2026-11-22']);
    expect(none.stdout).toMatch(/^replayed 0 requests/);
    const all = await runCli(['replay', '--archive-dir', archiveDir, '--data-dir', dataDir, ...RANGE]);
    const again = await runCli(['replay', '--archive-dir', archiveDir, '--data-dir', dataDir, ...RANGE]);
    expect(await reportRows(dataDir)).toEqual(EXPECTED);
    await server.close();
    // The server's counts are what a replay straight into the database reports.
    const directDir = mkdtempSync(join(tmpdir(), 'seatmeter-replay-direct-'));
    const direct = await runCli(['replay', '--archive-dir', archiveDir, '--data-dir', directDir, ...RANGE]);
    const directAgain = await runCli(['replay', '--archive-dir', archiveDir, '--data-dir', directDir, ...RANGE]);
    expect(Number(/(\d+) records stored/.exec(direct.stdout)?.[1])).toBeGreaterThan(30);
    expect([all.code, all.stdout, again.stdout]).toEqual([0, direct.stdout, directAgain.stdout]);
  }, 60_000);

  it.each([
    [['--from', '2026-11-22'], '--from and --to are required'],
    [[...RANGE], 'give exactly one of --bucket and --archive-dir'],
    [[...RANGE, '--archive-dir', '/tmp', '--target', 'bigquery'], '--target must be local, timestream or lake'],
    [[...RANGE, '--archive-dir', '/tmp', '--target', 'lake'], 'SEATMETER_LAKE_STREAM'],
    [[...RANGE, '--archive-dir', '/tmp', '--target', 'timestream'], 'SEATMETER_TIMESTREAM_DATABASE'],
  ])('refuses %j with a clear message', async (args, message) => {
    const result = await runCli(['replay', ...args], { SEATMETER_TIMESTREAM_DATABASE: '', SEATMETER_STATE_TABLE: '' });
    expect([result.code, result.stderr]).toEqual([2, expect.stringContaining(message)]);
  });

  it('refuses an empty Timestream table name before replaying anything', async () => {
    const env = { SEATMETER_TIMESTREAM_DATABASE: 'seatmeter', SEATMETER_STATE_TABLE: 'state', SEATMETER_TABLE_USAGE: ' ' };
    const result = await runCli(['replay', ...RANGE, '--archive-dir', '/tmp', '--target', 'timestream'], env);
    expect([result.code, result.stderr]).toEqual([2, expect.stringContaining('SEATMETER_TABLE_USAGE is empty')]);
  });
});
