import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runHook } from '../../lambdas/hook/run-hook.ts';

const NOW = Date.parse('2026-12-06T12:00:00Z');
const REASON = 'seatmeter: budget "dev" (user:dev@example.com) is exhausted';

/** A receiver's decision route that records what it was asked and answers what the test sets. */
let answer: { status: number; body: unknown; delayMs?: number } = { status: 200, body: { decision: 'allow', budgets: [] } };
const asked: { body: unknown; authorization: string | undefined; path: string | undefined }[] = [];
let server: Server;
let endpoint: string;

beforeAll(async () => {
  server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      asked.push({ body: JSON.parse(Buffer.concat(chunks).toString('utf8')), authorization: request.headers.authorization, path: request.url });
      setTimeout(() => response.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body)), answer.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

let cacheDir: string;
let repoDir: string;
beforeEach(() => {
  asked.length = 0;
  answer = { status: 200, body: { decision: 'allow', budgets: [] } };
  cacheDir = mkdtempSync(join(tmpdir(), 'seatmeter-hook-cache-'));
  repoDir = mkdtempSync(join(tmpdir(), 'seatmeter-hook-repo-'));
  mkdirSync(join(repoDir, '.git'));
  writeFileSync(join(repoDir, '.git', 'config'), '[core]\n\tbare = false\n[remote "origin"]\n\turl = git@github.com:acme/checkout.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n');
});

/** The environment Claude Code's telemetry settings give it (and so its hooks): seatmeter client-config's env block. */
const telemetryEnv = () => ({
  OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
  OTEL_EXPORTER_OTLP_HEADERS: 'Authorization=Bearer%20s3cret',
  OTEL_RESOURCE_ATTRIBUTES: 'user.email=dev@example.com,service.name=x',
  SEATMETER_CACHE_DIR: cacheDir,
});
const input = (event: string, extra: Record<string, unknown> = {}) => JSON.stringify({ session_id: 's1', cwd: join(repoDir, 'src'), hook_event_name: event, ...extra });
const hook = (args: string[], stdin: string, nowMs = NOW, env: NodeJS.ProcessEnv = telemetryEnv()) => runHook(args, stdin, env, nowMs, '/');

describe('runHook', () => {
  it('asks with the telemetry\'s endpoint, token and user and the git remote\'s repo, then reuses the answer for the TTL', async () => {
    expect(await hook(['claude-code'], input('PreToolUse', { tool_name: 'Bash', tool_input: { command: 'ls' } }))).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(asked).toEqual([{ path: '/v1/budget/decision', authorization: 'Bearer s3cret', body: { user_email: 'dev@example.com', tool: 'claude_code', repo: 'acme/checkout' } }]);
    answer = { status: 200, body: { decision: 'deny', reason: REASON } };
    expect((await hook(['claude-code'], input('PreToolUse'), NOW + 29_999)).stdout).toBe('');
    expect(asked).toHaveLength(1);
    const denied = await hook(['claude-code'], input('PreToolUse'), NOW + 30_000);
    expect(JSON.parse(denied.stdout)).toEqual({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: REASON } });
    // The cached deny answers a prompt in the prompt's shape.
    expect(JSON.parse((await hook(['claude-code'], input('UserPromptSubmit', { prompt: 'secret' }), NOW + 30_001)).stdout)).toEqual({ decision: 'block', reason: REASON });
    expect(asked).toHaveLength(2);
  });

  it('answers each client in its own documented shape, and asks nothing for events that cannot block', async () => {
    answer = { status: 200, body: { decision: 'deny', reason: REASON } };
    const shapes: [string, string, unknown][] = [
      ['codex', 'PreToolUse', { hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: REASON } }],
      ['codex', 'UserPromptSubmit', { decision: 'block', reason: REASON }],
      ['gemini', 'BeforeTool', { decision: 'deny', reason: REASON }],
      ['gemini', 'BeforeAgent', { decision: 'deny', reason: REASON }],
    ];
    for (const [client, event, output] of shapes) expect(JSON.parse((await hook([client, '--ttl-s', '0'], input(event))).stdout)).toEqual(output);
    expect(asked.map((entry) => (entry.body as { tool: string }).tool)).toEqual(['codex', 'codex', 'gemini_cli', 'gemini_cli']);
    asked.length = 0;
    expect(await hook(['claude-code'], input('SessionStart', { source: 'startup' }))).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(await hook(['gemini'], input('AfterTool'))).toEqual({ stdout: '{}', stderr: '', code: 0 });
    expect(await hook(['codex'], input('Stop'))).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(asked).toEqual([]);
  });

  it('fails open with one warning per outage, or closed, when the receiver cannot answer', async () => {
    const down = { ...telemetryEnv(), OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1' };
    const first = await hook(['claude-code'], input('PreToolUse'), NOW, down);
    expect(JSON.parse(first.stdout)).toEqual({ systemMessage: expect.stringMatching(/^seatmeter: cannot check your AI budget \(cannot reach http:\/\/127\.0\.0\.1:1: connect ECONNREFUSED.*\); letting actions through until it answers\.$/) });
    expect(await hook(['claude-code'], input('PreToolUse'), NOW + 1_000, down)).toEqual({ stdout: '', stderr: '', code: 0 });
    expect(await hook(['claude-code'], input('PreToolUse'), NOW + 60_000, down)).toEqual({ stdout: '', stderr: '', code: 0 });

    const closed = await hook(['gemini', '--fail', 'closed'], input('BeforeTool'), NOW + 61_000, down);
    expect(JSON.parse(closed.stdout)).toEqual({ decision: 'deny', reason: expect.stringContaining('This hook fails closed') });

    // An outage of a receiver that answers 503: warned once; once it answers again, the next outage warns again.
    answer = { status: 503, body: { error: 'down for maintenance' } };
    expect(JSON.parse((await hook(['claude-code'], input('PreToolUse'))).stdout)).toEqual({ systemMessage: expect.stringContaining(`${endpoint} answered 503: down for maintenance`) });
    expect((await hook(['claude-code'], input('PreToolUse'), NOW + 40_000)).stdout).toBe('');
    answer = { status: 200, body: { decision: 'allow' } };
    expect((await hook(['claude-code'], input('PreToolUse'), NOW + 80_000)).stdout).toBe('');
    answer = { status: 503, body: { error: 'down again' } };
    expect(JSON.parse((await hook(['claude-code'], input('PreToolUse'), NOW + 120_000)).stdout)).toEqual({ systemMessage: expect.stringContaining('down again') });
  });

  it('gives up after the timeout, and treats a refused credential or a strange answer as no decision', async () => {
    answer = { status: 200, body: { decision: 'allow' }, delayMs: 500 };
    const slow = await hook(['codex', '--fail', 'closed', '--timeout-ms', '100'], input('PreToolUse'));
    expect(JSON.parse(slow.stdout).hookSpecificOutput.permissionDecisionReason).toContain(`no answer from ${endpoint} within 100 ms`);
    const cases: [{ status: number; body: unknown }, string][] = [
      [{ status: 403, body: { error: 'this credential may ask only about its own user' } }, `${endpoint} answered 403: this credential may ask only about its own user`],
      [{ status: 200, body: { decision: 'deny' } }, `${endpoint} answered 200: {"decision":"deny"}`],
      [{ status: 503, body: 'busy' }, `${endpoint} answered 503: "busy"`],
    ];
    for (const [reply, problem] of cases) {
      answer = reply;
      const result = await hook(['codex', '--fail', 'closed', '--ttl-s', '0'], input('UserPromptSubmit'));
      expect(JSON.parse(result.stdout).reason).toContain(`(${problem})`);
    }
  });

  it('says what is wrong with its own settings or input, blocking only when told to fail closed', async () => {
    expect(await hook(['cursor'], input('PreToolUse'))).toEqual({ stdout: '', stderr: 'seatmeter hook: name the client: seatmeter hook claude-code|codex|gemini, got "cursor"\n', code: 1 });
    expect(await hook(['codex', '--fail', 'sometimes'], input('PreToolUse'))).toEqual({ stdout: '', stderr: 'seatmeter hook: --fail must be open or closed, got "sometimes"\n', code: 1 });
    expect(await hook(['codex', '--fail', 'closed', '--ttl-s', 'long'], input('PreToolUse'))).toEqual({ stdout: '', stderr: 'seatmeter hook: --ttl-s "long" is not a number of seconds\n', code: 2 });
    expect(await hook(['codex', '--colour'], input('PreToolUse'))).toEqual({ stdout: '', stderr: 'seatmeter hook: unknown option --colour\n', code: 1 });
    const garbage = 'seatmeter hook: the hook input is not the JSON object with hook_event_name the client sends\n';
    expect(await hook(['codex'], 'not json')).toEqual({ stdout: '', stderr: garbage, code: 1 });
    expect(await hook(['codex', '--fail=closed'], '{}')).toEqual({ stdout: '', stderr: garbage, code: 2 });
    const noEndpoint = await hook(['claude-code', '--fail', 'closed'], input('PreToolUse'), NOW, { SEATMETER_CACHE_DIR: cacheDir });
    expect(JSON.parse(noEndpoint.stdout).hookSpecificOutput.permissionDecisionReason).toContain('no endpoint: set OTEL_EXPORTER_OTLP_ENDPOINT, SEATMETER_URL or --endpoint');
  });

  it('prefers its own options and SEATMETER_* over the telemetry settings, and a per-signal endpoint is cut to its base', async () => {
    await hook(['codex', '--user', 'ana@example.com', '--token', 'other'], input('PreToolUse'));
    await hook(['codex', '--ttl-s', '0'], input('PreToolUse'), NOW, { OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: `${endpoint}/v1/logs`, SEATMETER_TOKEN: 't2', SEATMETER_USER_EMAIL: 'bo@example.com', SEATMETER_CACHE_DIR: cacheDir });
    expect(asked.map(({ body, authorization, path }) => [path, authorization, (body as { user_email: string }).user_email])).toEqual([
      ['/v1/budget/decision', 'Bearer other', 'ana@example.com'],
      ['/v1/budget/decision', 'Bearer t2', 'bo@example.com'],
    ]);
  });
});
