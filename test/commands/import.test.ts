import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startLocalServer } from '../../lambdas/local/server.ts';
import { TOKEN_FIELDS } from '../../lambdas/records/types.ts';
import type { ReportRow } from '../../lambdas/report/report-types.ts';
import { FIXTURE_TOTALS } from '../support/fixture-totals.ts';
import { replayAllCaptures } from '../support/http-replay.ts';
import { IMPORTED_ONLY, IMPORT_HOME, TELEMETRY_SESSION_CALLS } from '../support/import-home.ts';
import { runCli } from '../support/run-cli.ts';

const RANGE = ['--from', '2026-11-01', '--to', '2026-12-01'];
const TOOLS = ['claude_code', 'codex', 'gemini_cli'] as const;
type Tool = (typeof TOOLS)[number];

const freshDir = () => mkdtempSync(join(tmpdir(), 'seatmeter-import-'));
const add = (...rows: (readonly number[])[]) => TOKEN_FIELDS.map((_, i) => rows.reduce((sum, row) => sum + (row[i] ?? 0), 0));

function telemetryTotals(tool: Tool): number[] {
  return add(...FIXTURE_TOTALS.filter((row) => row[1] === tool).map((row) => row.slice(3, 8) as number[]));
}

async function tokensByTool(dataDir: string): Promise<Record<string, number[]>> {
  const report = await runCli(['report', '--data-dir', dataDir, '--by', 'tool', '--format', 'json', ...RANGE]);
  const rows = JSON.parse(report.stdout) as ReportRow[];
  return Object.fromEntries(rows.map((row) => [row.tool, TOKEN_FIELDS.map((field) => row[field])]));
}

describe('seatmeter import', () => {
  it('counts the exact tokens of every session file into an empty store, and a second import adds nothing', async () => {
    const dataDir = freshDir();
    const first = await runCli(['import', '--home', IMPORT_HOME, '--data-dir', dataDir]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout.split('\n')).toEqual([
      '2026-11-20  claude_code  dev@example.com  3 calls, 17,263 tokens  source=import',
      '2026-11-21  codex        (no user)  2 calls, 5,154 tokens  source=import',
      '2026-11-21  gemini_cli   dev@example.com  3 calls, 4,742 tokens  source=import',
      '2026-11-22  claude_code  dev@example.com  1 call, 8,590 tokens  source=import',
      '2026-11-22  codex        (no user)  1 call, 2,577 tokens  source=import',
      '2026-11-22  gemini_cli   dev@example.com  1 call, 4,407 tokens  source=import',
      '8 session files, 11 calls: 11 stored, 0 already imported, 0 left to telemetry (0 sessions it delivered)',
      '  skipped 1: claude_code: no API call (synthetic message)',
      '  skipped 1: claude_code: line is not JSON',
      '',
    ]);
    const expected = Object.fromEntries(TOOLS.map((tool) => [tool, add(IMPORTED_ONLY[tool], TELEMETRY_SESSION_CALLS[tool])]));
    expect(await tokensByTool(dataDir)).toEqual(expected);

    const second = await runCli(['import', '--home', IMPORT_HOME, '--data-dir', dataDir]);
    expect(second.stdout).toContain('11 calls: 0 stored, 11 already imported, 0 left to telemetry');
    expect(await tokensByTool(dataDir)).toEqual(expected);
  }, 60_000);

  it('leaves the sessions telemetry delivered to it, through the running server, and says so per day', async () => {
    const dataDir = freshDir();
    const server = await startLocalServer({ host: '127.0.0.1', port: 0, dataDir });
    try {
      await replayAllCaptures(server.url);
      const before = await tokensByTool(dataDir);
      expect(before).toEqual(Object.fromEntries(TOOLS.map((tool) => [tool, telemetryTotals(tool)])));

      const imported = await runCli(['import', '--home', IMPORT_HOME, '--data-dir', dataDir]);
      expect(imported.code).toBe(0);
      const lines = imported.stdout.split('\n');
      expect(lines.slice(3, 6)).toEqual([
        '2026-11-22  claude_code  dev@example.com  1 call, 8,590 tokens  source=telemetry',
        '2026-11-22  codex        (no user)  1 call, 2,577 tokens  source=telemetry',
        '2026-11-22  gemini_cli   dev@example.com  1 call, 4,407 tokens  source=telemetry',
      ]);
      expect(lines[6]).toBe('8 session files, 11 calls: 8 stored, 0 already imported, 3 left to telemetry (3 sessions it delivered)');
      const after = Object.fromEntries(TOOLS.map((tool) => [tool, add(telemetryTotals(tool), IMPORTED_ONLY[tool])]));
      expect(await tokensByTool(dataDir)).toEqual(after);

      // Importing again, or after more telemetry of the same sessions, changes nothing.
      await replayAllCaptures(server.url);
      const again = await runCli(['import', '--home', IMPORT_HOME, '--data-dir', dataDir]);
      expect(again.stdout).toContain('11 calls: 0 stored, 8 already imported, 3 left to telemetry');
      expect(await tokensByTool(dataDir)).toEqual(after);
    } finally {
      await server.close();
    }
  }, 60_000);

  it('sends to a receiver at --endpoint with its token, one tool and one user at a time if asked', async () => {
    const dataDir = freshDir();
    const server = await startLocalServer({ host: '127.0.0.1', port: 0, dataDir, token: 'import-test-token-0123456789' });
    try {
      const refused = await runCli(['import', '--home', IMPORT_HOME, '--endpoint', server.url, '--tools', 'codex']);
      expect([refused.code, refused.stderr]).toEqual([1, `seatmeter import: ${server.url} requires a token: pass --token or set SEATMETER_TOKEN\n`]);
      const sent = await runCli(['import', '--home', IMPORT_HOME, '--endpoint', `${server.url}/`, '--token', 'import-test-token-0123456789', '--tools', 'codex', '--user', 'Ana@Example.com', '--since', '2026-11-22']);
      expect(sent.stdout.split('\n').slice(0, 2)).toEqual(['2026-11-22  codex        ana@example.com  1 call, 2,577 tokens  source=import', '2 session files, 1 call: 1 stored, 0 already imported, 0 left to telemetry (0 sessions it delivered)']);
    } finally {
      await server.close();
    }
    expect(await tokensByTool(dataDir)).toEqual({ codex: [...TELEMETRY_SESSION_CALLS.codex] });
  }, 60_000);

  it('takes the repository from the git remote of the directory a session worked in, and opens no store when a home has no sessions', async () => {
    const repoDir = mkdtempSync(join(tmpdir(), 'seatmeter-import-repo-'));
    execFileSync('git', ['init', '-q', repoDir]);
    execFileSync('git', ['-C', repoDir, 'remote', 'add', 'origin', 'https://github.com/acme/shop.git']);
    const home = mkdtempSync(join(tmpdir(), 'seatmeter-import-home-'));
    const line = { type: 'assistant', sessionId: 's-repo', cwd: repoDir, timestamp: '2026-11-20T09:00:00Z', requestId: 'req_r', message: { id: 'msg_r', model: 'claude-opus-4-8', usage: { input_tokens: 10, output_tokens: 1 } } };
    mkdirSync(join(home, '.claude', 'projects', 'p'), { recursive: true });
    writeFileSync(join(home, '.claude', 'projects', 'p', 's-repo.jsonl'), `${JSON.stringify(line)}\n`);
    // A session still running: its telemetry may not have arrived, so it waits for a later import.
    const running = { ...line, sessionId: 's-running', requestId: 'req_now', message: { ...line.message, id: 'msg_now' }, timestamp: new Date(Date.now() - 60_000).toISOString() };
    writeFileSync(join(home, '.claude', 'projects', 'p', 's-running.jsonl'), `${JSON.stringify(running)}\n`);
    const dataDir = freshDir();
    const imported = await runCli(['import', '--home', home, '--data-dir', dataDir]);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('2 session files, 1 call: 1 stored');
    expect(imported.stdout).toContain('  skipped 1: claude_code: session with a call in the last 60 minutes (its telemetry may still be on its way; import again later)');
    const report = JSON.parse((await runCli(['report', '--data-dir', dataDir, '--by', 'repo', '--format', 'json', ...RANGE])).stdout) as ReportRow[];
    expect(report.map((row) => [row.repo, row.input_tokens])).toEqual([['acme/shop', 10]]);

    const empty = freshDir();
    const none = await runCli(['import', '--home', mkdtempSync(join(tmpdir(), 'seatmeter-import-empty-')), '--data-dir', join(empty, 'store')]);
    expect([none.code, none.stdout]).toEqual([0, '0 session files, 0 calls: 0 stored, 0 already imported, 0 left to telemetry (0 sessions it delivered)\n']);
    expect(existsSync(join(empty, 'store'))).toBe(false);
  }, 60_000);

  it.each([
    [['--tools', 'cursor'], '--tools takes any of claude_code, codex, gemini_cli, not "cursor"'],
    [['--user', 'not-an-email'], '--user "not-an-email" is not an e-mail address'],
    [['--since', 'yesterday'], '--since "yesterday" is not a date'],
    [['--endpoint', 'http://127.0.0.1:9', '--data-dir', '/tmp/x'], 'give --endpoint, or --data-dir / --url, not both'],
  ])('refuses %j', async (args, message) => {
    const result = await runCli(['import', '--home', IMPORT_HOME, ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it('sends a batch again after the Retry-After of a store that could not take it, and gives up after four tries', async () => {
    let unavailable = 2;
    const bodies: string[] = [];
    const receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        bodies.push(`${request.method} ${request.url}`);
        const calls = (JSON.parse(body) as { calls: unknown[] }).calls.length;
        const busy = unavailable-- > 0;
        response.writeHead(busy ? 503 : 200, { 'content-type': 'application/json', 'retry-after': '0' });
        response.end(JSON.stringify(busy ? { error: 'store unavailable; retry later (throttled)' } : { calls, stored: calls, duplicates: 0, covered: 0, covered_sessions: [], rejected: {}, identity_overrides: 0 }));
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    try {
      const sent = await runCli(['import', '--home', IMPORT_HOME, '--endpoint', url, '--tools', 'gemini_cli']);
      expect([sent.code, bodies]).toEqual([0, ['POST /seatmeter/import', 'POST /seatmeter/import', 'POST /seatmeter/import']]);
      expect(sent.stdout).toContain('3 session files, 4 calls: 4 stored');
      unavailable = 10;
      const failed = await runCli(['import', '--home', IMPORT_HOME, '--endpoint', url, '--tools', 'gemini_cli']);
      expect([failed.code, failed.stderr]).toEqual([1, `seatmeter import: ${url}/seatmeter/import answered 503: store unavailable; retry later (throttled)\n`]);
      expect(bodies).toHaveLength(7);
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  }, 60_000);

  it('fails, storing nothing, when the receiver cannot be reached', async () => {
    const result = await runCli(['import', '--home', IMPORT_HOME, '--endpoint', 'http://127.0.0.1:9']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^seatmeter import: cannot reach seatmeter at http:\/\/127\.0\.0\.1:9/);
  });
});
