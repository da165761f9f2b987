import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer } from '../../lambdas/local/server.ts';
import { clientConfig, clientConfigRequest } from '../../lambdas/onboarding/client-config.ts';
import type { LocalServer } from '../../lambdas/local/server.ts';
import { replayAllCaptures } from '../support/http-replay.ts';

/** Noon of the captures' day, the server's clock. */
const NOW = Date.parse('2026-11-22T12:00:00Z');
const bundle = join(mkdtempSync(join(tmpdir(), 'seatmeter-hook-bundle-')), 'seatmeter-hook.cjs');

interface Spawned {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the bundled hook as a client spawns it: the hook input on stdin, the client's environment. */
function spawnHook(args: readonly string[], stdin: unknown, env: NodeJS.ProcessEnv, command: readonly string[] | [] = [bundle]): Promise<Spawned> {
  return new Promise((resolve, reject) => {
    // An empty command runs `sh` with the args: a hook command line as the client's shell runs it.
    const child = spawn(command.length === 0 ? 'sh' : process.execPath, [...command, ...args], { env: { PATH: process.env.PATH, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(JSON.stringify(stdin));
  });
}

// Each client's documented hook input (see lambdas/hook/hook-clients.ts for the sources).
const claudePreToolUse = { session_id: 's1', transcript_path: '/tmp/t.jsonl', cwd: '/tmp', permission_mode: 'default', hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'npm test' }, tool_use_id: 'toolu_1' };
const claudePrompt = { session_id: 's1', transcript_path: '/tmp/t.jsonl', cwd: '/tmp', permission_mode: 'default', hook_event_name: 'UserPromptSubmit', prompt: 'refactor checkout' };
const codexPreToolUse = { session_id: 's2', transcript_path: null, cwd: '/tmp', hook_event_name: 'PreToolUse', model: 'gpt-5.1-codex', turn_id: 't1', tool_name: 'Bash', tool_input: { command: 'ls' }, tool_use_id: 'call_1' };
const codexPrompt = { session_id: 's2', transcript_path: null, cwd: '/tmp', hook_event_name: 'UserPromptSubmit', model: 'gpt-5.1-codex', turn_id: 't2', prompt: 'fix it' };
const geminiBeforeTool = { session_id: 's3', transcript_path: '/tmp/g.json', cwd: '/tmp', hook_event_name: 'BeforeTool', timestamp: '2026-11-22T12:00:00Z', tool_name: 'run_shell_command', tool_input: { command: 'ls' } };
const geminiBeforeAgent = { session_id: 's3', transcript_path: '/tmp/g.json', cwd: '/tmp', hook_event_name: 'BeforeAgent', timestamp: '2026-11-22T12:00:00Z', prompt: 'add tests' };

let server: LocalServer;
let dataDir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  execFileSync(process.execPath, ['--import', 'tsx', new URL('../../bin/build-hook.ts', import.meta.url).pathname, bundle]);
  dataDir = mkdtempSync(join(tmpdir(), 'seatmeter-hook-server-'));
  server = await startLocalServer({ host: '127.0.0.1', port: 0, dataDir, now: () => NOW });
  await fetch(`${server.url}/api/budgets`, { method: 'PUT', body: JSON.stringify({ name: 'dev-daily', scope: 'user:dev@example.com', period: 'day', limit_usd: 0.05, owner: 'platform@example.com' }) });
  // What client-config puts in the clients' environment; a cache of its own so runs do not share decisions.
  env = { OTEL_EXPORTER_OTLP_ENDPOINT: server.url, OTEL_RESOURCE_ATTRIBUTES: 'user.email=dev@example.com', SEATMETER_CACHE_DIR: mkdtempSync(join(tmpdir(), 'seatmeter-hook-cache-')) };
}, 60_000);
afterAll(() => server.close());

describe('the bundled hook, spawned as each client spawns it, against the local server', { timeout: 30_000 }, () => {
  it('allows under the budget, and denies in each client\'s documented output once replayed exports cross the hard limit', async () => {
    const inputs = [claudePreToolUse, claudePrompt, codexPreToolUse, codexPrompt, geminiBeforeTool, geminiBeforeAgent];
    const clients = ['claude-code', 'claude-code', 'codex', 'codex', 'gemini', 'gemini'];
    const under = await Promise.all(inputs.map((input, index) => spawnHook([clients[index] ?? '', '--ttl-s', '0'], input, env)));
    expect(under).toEqual(['', '', '', '', '{}\n', '{}\n'].map((stdout) => ({ code: 0, stdout, stderr: '' })));

    await replayAllCaptures(server.url);
    const reason =
      'seatmeter: budget "dev-daily" (user:dev@example.com) is exhausted for 2026-11-22: $0.08 of $0.05 at list prices. It resets 2026-11-23T00:00:00.000Z; platform@example.com can raise it or grant an exemption.';
    const over = await Promise.all(inputs.map((input, index) => spawnHook([clients[index] ?? '', '--ttl-s', '0'], input, env)));
    expect(over.map((result) => [result.code, JSON.parse(result.stdout), result.stderr])).toEqual([
      [0, { hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: reason } }, ''],
      [0, { decision: 'block', reason }, ''],
      [0, { hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: reason } }, ''],
      [0, { decision: 'block', reason }, ''],
      [0, { decision: 'deny', reason }, ''],
      [0, { decision: 'deny', reason }, ''],
    ]);
    // Someone else is not capped by dev's budget.
    const other = await spawnHook(['codex', '--ttl-s', '0', '--user', 'ana@example.com'], codexPreToolUse, env);
    expect(other).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('runs as client-config wires it: the emitted command line, through a shell, finds the receiver and the user on its own', async () => {
    const request = (client: string) => clientConfigRequest({ client, endpoint: server.url, token: undefined, user: 'dev@example.com', managed: false, hookPath: bundle });
    const claude = JSON.parse(clientConfig(request('claude-code')).sections[0]?.content ?? '').hooks.PreToolUse[0].hooks[0].command as string;
    const gemini = JSON.parse(clientConfig(request('gemini')).sections[0]?.content ?? '').hooks.BeforeAgent[0].hooks[0].command as string;
    const codexToml = clientConfig(request('codex')).sections[0]?.content ?? '';
    const codex = /^command = "(.*)"$/m.exec(codexToml)?.[1]?.replaceAll('\\"', '"') ?? '';
    // Only the cache directory comes from the environment: the command carries the rest.
    const bare = { SEATMETER_CACHE_DIR: mkdtempSync(join(tmpdir(), 'seatmeter-hook-wired-')) };
    const results = await Promise.all([
      spawnHook(['-c', claude], claudePreToolUse, bare, []),
      spawnHook(['-c', codex], codexPrompt, bare, []),
      spawnHook(['-c', gemini], geminiBeforeAgent, bare, []),
    ]);
    expect(results.map((result) => [result.code, JSON.parse(result.stdout)])).toEqual([
      [0, { hookSpecificOutput: expect.objectContaining({ permissionDecision: 'deny', permissionDecisionReason: expect.stringContaining('"dev-daily"') }) }],
      [0, { decision: 'block', reason: expect.stringContaining('"dev-daily"') }],
      [0, { decision: 'deny', reason: expect.stringContaining('"dev-daily"') }],
    ]);
  });

  it('with the receiver down: fails open with a warning, or closed with a refusal', async () => {
    const down = { ...env, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9', SEATMETER_CACHE_DIR: mkdtempSync(join(tmpdir(), 'seatmeter-hook-down-')) };
    const open = await spawnHook(['claude-code', '--fail', 'open'], claudePreToolUse, down);
    expect([open.code, JSON.parse(open.stdout).systemMessage]).toEqual([0, expect.stringContaining('letting actions through until it answers')]);
    const closed = await spawnHook(['gemini', '--fail', 'closed'], geminiBeforeTool, down);
    expect([closed.code, JSON.parse(closed.stdout)]).toEqual([0, { decision: 'deny', reason: expect.stringContaining('This hook fails closed') }]);
  });

  it('works as `seatmeter hook claude-code --fail closed|open` too', async () => {
    const down = { ...env, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9', SEATMETER_CACHE_DIR: mkdtempSync(join(tmpdir(), 'seatmeter-hook-cli-')) };
    const cli = ['--import', 'tsx', new URL('../../bin/cli.ts', import.meta.url).pathname, 'hook'];
    const [closed, open] = await Promise.all([
      spawnHook(['claude-code', '--fail', 'closed'], claudePreToolUse, down, cli),
      spawnHook(['claude-code', '--fail', 'open'], claudePrompt, { ...down, SEATMETER_CACHE_DIR: mkdtempSync(join(tmpdir(), 'seatmeter-hook-cli-')) }, cli),
    ]);
    expect([closed.code, JSON.parse(closed.stdout).hookSpecificOutput.permissionDecision]).toEqual([0, 'deny']);
    expect([open.code, JSON.parse(open.stdout)]).toEqual([0, { systemMessage: expect.stringContaining('letting actions through') }]);
  });
});
