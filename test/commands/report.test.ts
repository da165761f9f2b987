import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startLocalServer } from '../../lambdas/local/server.ts';
import type { ReportRow } from '../../lambdas/report/report-types.ts';
import { fixtureTotalsInReportOrder } from '../support/fixture-totals.ts';
import { replayAllCaptures } from '../support/http-replay.ts';
import { runCli } from '../support/run-cli.ts';

const RANGE = ['--from', '2026-11-01', '--to', '2026-12-01'];

function tokensPerModel(rows: readonly ReportRow[]): [string | undefined, number][] {
  return rows.map((row) => [row.model ?? undefined, row.input_tokens]);
}

describe('seatmeter report', () => {
  it('asks the running server, and reads the data directory itself once the server is gone', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'seatmeter-report-'));
    const server = await startLocalServer({ host: '127.0.0.1', port: 0, dataDir });
    await replayAllCaptures(server.url);

    const live = await runCli(['report', '--data-dir', dataDir, '--format', 'json', ...RANGE]);
    expect(live.code).toBe(0);
    const rows = JSON.parse(live.stdout) as ReportRow[];
    expect(tokensPerModel(rows)).toEqual(fixtureTotalsInReportOrder().map((row) => [row[2], row[3]]));
    expect(Object.keys(rows[0] ?? {})).toEqual([
      'user_email',
      'tool',
      'model',
      'input_tokens',
      'cache_read_tokens',
      'cache_write_tokens',
      'output_tokens',
      'reasoning_tokens',
      'estimated_cost_usd',
      'reported_cost_usd',
      'sessions',
      'unpriced_tokens',
    ]);

    await server.close();
    const offline = await runCli(['report', '--data-dir', dataDir, '--format', 'json', ...RANGE]);
    expect(JSON.parse(offline.stdout)).toEqual(rows);
  }, 30_000);

  it('groups by day and repo, and prints CSV and a table with totals', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'seatmeter-report-'));
    const server = await startLocalServer({ host: '127.0.0.1', port: 0, dataDir });
    await replayAllCaptures(server.url);
    const csv = await runCli(['report', '--data-dir', dataDir, '--by', 'day,repo', '--format', 'csv', ...RANGE]);
    expect(csv.stdout.split('\n').slice(0, 3)).toEqual([
      'day,repo,input_tokens,cache_read_tokens,cache_write_tokens,output_tokens,reasoning_tokens,estimated_cost_usd,reported_cost_usd,sessions,unpriced_tokens',
      expect.stringMatching(/^2026-11-22,demo-repo,8910,58000,1900,624,63,0\.08217\d*,0\.07857\d*,9,0$/),
      expect.stringMatching(/^2026-11-22,,2712,12288,0,462,198,0\.009546\d*,,6,0$/),
    ]);
    const table = await runCli(['report', '--data-dir', dataDir, ...RANGE]);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^user\s+tool\s+model\s+input\s+cache read\s+cache write\s+output\s+reasoning\s+est\. cost\s+reported\s+sessions\s+unpriced$/);
    expect(lines.at(-1)).toMatch(/^total\s+11\.6k\s+70\.3k\s+1,900\s+1,086\s+261\s+\$0\.0917\s+—\s+0$/);
    await server.close();
  }, 30_000);

  it.each([
    [['--by', 'user,squad'], 'unknown --by key "squad"'],
    [['--format', 'xml'], '--format must be one of table, json, csv'],
    [['--from', 'yesterday'], '--from "yesterday" is not a date'],
    [['--from', '2026-11-02', '--to', '2026-11-01'], '--from must be before --to'],
  ])('refuses %j with a clear message', async (args, message) => {
    const result = await runCli(['report', '--data-dir', mkdtempSync(join(tmpdir(), 'seatmeter-report-')), ...args]);
    expect([result.code, result.stderr]).toEqual([2, expect.stringContaining(message)]);
  });

  it('says how to get data when there is none', async () => {
    const result = await runCli(['report', '--data-dir', join(tmpdir(), 'seatmeter-none-here')]);
    expect([result.code, result.stderr]).toEqual([2, expect.stringContaining('no seatmeter data in')]);
  });
});
