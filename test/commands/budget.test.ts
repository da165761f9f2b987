import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer } from '../../lambdas/local/server.ts';
import type { LocalServer } from '../../lambdas/local/server.ts';
import { replayAllCaptures } from '../support/http-replay.ts';
import { runCli } from '../support/run-cli.ts';

/** Noon of the captures' day, the server's clock: dev@example.com has spent $0.082 that day. */
const NOW = Date.parse('2026-11-22T12:00:00Z');

describe('seatmeter budget through the running server', { timeout: 30_000 }, () => {
  let server: LocalServer;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'seatmeter-budget-cli-'));
    writeFileSync(join(dataDir, 'teams.json'), JSON.stringify({ users: { 'dev@example.com': 'payments' } }));
    server = await startLocalServer({ host: '127.0.0.1', port: 0, dataDir, now: () => NOW });
    await replayAllCaptures(server.url);
  });
  afterAll(() => server.close());
  const cli = (...args: string[]) => runCli(['budget', ...args, '--data-dir', dataDir]);

  it('sets, lists, caps, exempts and removes a budget', async () => {
    expect(await cli('set', 'payments', '--scope', 'team:payments', '--period', 'day', '--limit-usd', '0.05', '--soft', '0.5,0.8', '--owner', 'platform@example.com')).toEqual({ code: 0, stdout: 'set payments\n', stderr: '' });
    const list = await cli('list', '--format', 'json');
    expect(JSON.parse(list.stdout)).toEqual({
      budgets: [{ name: 'payments', scope: 'team:payments', period: 'day', time_zone: 'UTC', limit_usd: 0.05, soft: [0.5, 0.8], hard: true, owner: 'platform@example.com' }],
    });
    expect((await cli('list')).stdout.split('\n')[2]).toBe('payments  team:payments  day UTC  $0.05  50%,80%    hard  platform@example.com');

    const capped = await cli('status');
    expect(capped.stdout.split('\n')[2]).toBe('payments  team:payments  2026-11-22  capped  $0.0822  $0.05  164.4%     $0.164');
    const decide = () => fetch(`${server.url}/v1/budget/decision`, { method: 'POST', body: JSON.stringify({ user_email: 'dev@example.com' }) }).then((r) => r.json() as Promise<{ decision: string }>);
    expect((await decide()).decision).toBe('deny');

    const granted = await cli('grant', 'user:dev@example.com', '--until', '2026-11-22T14:00:00Z', '--extra', '1', '--reason', 'incident 42', '--by', 'oncall@example.com');
    expect(granted).toEqual({ code: 0, stdout: 'granted user:dev@example.com until 2026-11-22T14:00:00.000Z: +$1.00\n', stderr: '' });
    expect((await decide()).decision).toBe('allow');
    const status = JSON.parse((await cli('status', '--format', 'json')).stdout) as { budgets: { state: string }[]; grants: unknown[] };
    // The budget itself is still over for everyone else in the team; the person is exempted.
    expect(status.budgets[0]?.state).toBe('capped');
    expect(status.grants).toEqual([{ target: 'user:dev@example.com', until: '2026-11-22T14:00:00.000Z', extra_usd: 1, granted_by: 'oncall@example.com', reason: 'incident 42' }]);
    expect((await cli('status')).stdout).toContain('grants in force:\n  user:dev@example.com until 2026-11-22T14:00:00.000Z: +$1.00, by oncall@example.com (incident 42)\n');

    expect(await cli('rm', 'payments')).toEqual({ code: 0, stdout: 'removed payments\n', stderr: '' });
    expect((await cli('list')).stdout).toBe('no budgets: add one with `seatmeter budget set`\n');
  });

  it('sets every budget of a budgets.json', async () => {
    const file = join(dataDir, 'budgets.json');
    writeFileSync(file, JSON.stringify({ budgets: [{ name: 'org', scope: 'org', limit_usd: 500 }, { name: 'dev', scope: 'user:dev@example.com', period: 'week', limit_tokens: 1e6 }] }));
    expect(await cli('set', '--file', file)).toEqual({ code: 0, stdout: 'set org, dev\n', stderr: '' });
    expect((await cli('rm', 'org')).code).toBe(0);
    expect((await cli('rm', 'dev')).code).toBe(0);
  });

  it('refuses what it cannot use, naming the field or option', async () => {
    const cases: [string[], string][] = [
      [['set', 'x', '--scope', 'galaxy', '--limit-usd', '1'], 'seatmeter budget: budget "x".scope: "galaxy" is not org, team:<name>, user:<email> or repo:<owner/name>\n'],
      [['set', 'x', '--scope', 'org', '--limit-usd', 'lots'], 'seatmeter budget: --limit-usd "lots" is not a number\n'],
      [['set', 'x', '--scope', 'org', '--limit-usd', '1', '--hard', 'maybe'], 'seatmeter budget: --hard must be on or off, got "maybe"\n'],
      [['set'], 'seatmeter budget: set needs a NAME (with --scope and a limit) or --file budgets.json\n'],
      [['set', '--file', '/nonexistent/budgets.json'], expect.stringContaining('cannot read /nonexistent/budgets.json') as unknown as string],
      [['rm', 'nothing'], 'seatmeter budget: no budget named "nothing"\n'],
      [['grant', 'nothing', '--until', '2h', '--reason', 'x'], 'seatmeter budget: target "nothing" is neither a budget\'s name nor a scope (org, team:<name>, user:<email>, repo:<owner/name>)\n'],
      [['grant', 'org', '--until', 'soon', '--reason', 'x'], 'seatmeter budget: --until "soon" is not a date (use YYYY-MM-DD, an ISO timestamp or epoch milliseconds), or a duration such as 30m, 4h or 2d\n'],
      [['launch'], 'seatmeter budget: unknown action "launch": set, list, rm, grant or status\n'],
      [['status', '--format', 'xml'], 'seatmeter budget: --format must be table or json, got "xml"\n'],
    ];
    const results = await Promise.all(cases.map(([args]) => cli(...args)));
    expect(results).toEqual(cases.map(([, stderr]) => ({ code: 2, stdout: '', stderr })));
  });
});

describe('seatmeter budget with no server running', { timeout: 30_000 }, () => {
  it('changes the data directory itself, and a server started later enforces it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'seatmeter-budget-file-'));
    const cli = (...args: string[]) => runCli(['budget', ...args, '--data-dir', dataDir]);
    expect((await cli('set', 'dev', '--scope', 'user:dev@example.com', '--period', 'day', '--limit-usd', '0.01')).code).toBe(0);
    expect((await cli('status')).stdout.split('\n')[2]).toMatch(/^dev {3}user:dev@example.com {2}\d{4}-\d\d-\d\d {2}ok {8}\$0 {2}\$0.01 {2}0.0% {9}\$0$/);
    const server = await startLocalServer({ host: '127.0.0.1', port: 0, dataDir, now: () => NOW });
    try {
      await replayAllCaptures(server.url);
      const answer = (await fetch(`${server.url}/v1/budget/decision`, { method: 'POST', body: JSON.stringify({ user_email: 'dev@example.com' }) }).then((r) => r.json())) as { decision: string };
      expect(answer.decision).toBe('deny');
    } finally {
      await server.close();
    }
    expect((await cli('rm', 'dev')).stdout).toBe('removed dev\n');
  });
});
