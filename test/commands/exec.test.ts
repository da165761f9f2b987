import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const SEATMETER = resolve(dirname(fileURLToPath(import.meta.url)), '../../bin/seatmeter.js');
const PRINT_ATTRIBUTES = ['node', '-e', 'console.log(process.env.OTEL_RESOURCE_ATTRIBUTES ?? "(unset)")'];
// Starting node and tsx takes a while on a busy machine; no assertion depends on how long.
const SLOW = 30_000;

interface Outcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const scratch: string[] = [];
afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** An empty folder under the temp dir, where git must not find a work tree above it. */
function folder(name: string): { root: string; dir: string } {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'seatmeter-exec-')));
  scratch.push(root);
  const dir = join(root, name);
  mkdirSync(dir);
  return { root, dir };
}

function gitRepo(name: string, origin?: string): { root: string; dir: string } {
  const place = folder(name);
  execFileSync('git', ['init', '-q'], { cwd: place.dir });
  if (origin !== undefined) execFileSync('git', ['remote', 'add', 'origin', origin], { cwd: place.dir });
  return place;
}

/** Sends `signal` to seatmeter once its output reads exactly `output`. */
interface SignalCue {
  readonly output: string;
  readonly signal: NodeJS.Signals;
}

/** Runs `seatmeter exec` in `place.dir`, with only PATH, a throwaway HOME and `env` in its environment. */
function seatmeterExec(args: readonly string[], place: { root: string; dir: string }, env: Record<string, string> = {}, cue?: SignalCue): Promise<Outcome> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [SEATMETER, 'exec', ...args], {
      cwd: place.dir,
      env: { PATH: process.env['PATH'] ?? '', HOME: place.root, GIT_CEILING_DIRECTORIES: place.root, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (cue !== undefined && stdout === cue.output) child.kill(cue.signal);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe('seatmeter exec', () => {
  it('adds the origin remote as service.namespace, replacing an old one and keeping the rest', { timeout: SLOW }, async () => {
    const repo = gitRepo('checkout', 'git@github.com:acme/payments-api.git');
    const result = await seatmeterExec(['--', ...PRINT_ATTRIBUTES], repo, {
      OTEL_RESOURCE_ATTRIBUTES: 'user.email=dev@example.com,service.namespace=old',
    });
    expect(result).toEqual({ code: 0, stdout: 'user.email=dev@example.com,service.namespace=acme/payments-api\n', stderr: '' });
  });

  it('reads the remote from a subfolder of the work tree', { timeout: SLOW }, async () => {
    const repo = gitRepo('checkout', 'https://github.com/acme/payments-api.git');
    mkdirSync(join(repo.dir, 'src'));
    const result = await seatmeterExec(['--', ...PRINT_ATTRIBUTES], { root: repo.root, dir: join(repo.dir, 'src') });
    expect(result.stdout).toBe('service.namespace=acme/payments-api\n');
  });

  it('prefers --repo to the remote', { timeout: SLOW }, async () => {
    const repo = gitRepo('checkout', 'git@github.com:acme/payments-api.git');
    const result = await seatmeterExec(['--repo', 'acme/ledger', '--', ...PRINT_ATTRIBUTES], repo);
    expect(result.stdout).toBe('service.namespace=acme/ledger\n');
  });

  it('falls back to the work tree folder name when there is no origin', { timeout: SLOW }, async () => {
    const result = await seatmeterExec(['--', ...PRINT_ATTRIBUTES], gitRepo('billing-service'));
    expect(result.stdout).toBe('service.namespace=billing-service\n');
  });

  it('outside git, runs the CLI without the attribute and says so on stderr', { timeout: SLOW }, async () => {
    const result = await seatmeterExec(['--', ...PRINT_ATTRIBUTES], folder('plain'), { OTEL_RESOURCE_ATTRIBUTES: 'user.email=dev@example.com' });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('user.email=dev@example.com\n');
    expect(result.stderr).toContain('running without service.namespace');
  });

  it('passes the CLI arguments through and exits with its exit code', { timeout: SLOW }, async () => {
    const result = await seatmeterExec(['--repo', 'x', '--', 'node', '-e', 'console.log(process.argv.slice(1).join("|")); process.exit(3)', 'a b', '--flag'], folder('plain'));
    expect(result).toEqual({ code: 3, stdout: 'a b|--flag\n', stderr: '' });
  });

  it('exits 128 + the signal number when the CLI is killed', { timeout: SLOW }, async () => {
    const result = await seatmeterExec(['--repo', 'x', '--', 'node', '-e', 'process.kill(process.pid, "SIGKILL")'], folder('plain'));
    expect(result.code).toBe(137);
  });

  it.each([
    ['SIGTERM', 7],
    ['SIGINT', 8],
  ] as const)('forwards %s to the CLI and exits with its code', { timeout: SLOW }, async (signal, exitCode) => {
    const cli = `process.on("${signal}", () => process.exit(${exitCode})); console.log("ready"); setInterval(() => {}, 1000)`;
    const result = await seatmeterExec(['--repo', 'x', '--', 'node', '-e', cli], folder('plain'), {}, { output: 'ready\n', signal });
    expect(result.code).toBe(exitCode);
  });

  it('exits 127 with a clear error when the CLI does not exist', { timeout: SLOW }, async () => {
    const result = await seatmeterExec(['--repo', 'x', '--', 'no-such-agent-cli', '-p', 'hi'], folder('plain'));
    expect(result.code).toBe(127);
    expect(result.stderr).toBe('seatmeter exec: no-such-agent-cli: command not found\n');
  });

  it.each([
    [['claude'], "Unexpected argument 'claude'"],
    [['--'], 'name the CLI to run after --'],
    [['--repo', '', '--', 'claude'], '--repo must not be empty'],
    [['--bogus', '--', 'claude'], "Unknown option '--bogus'"],
  ])('exits 2 for %j', { timeout: SLOW }, async (args, message) => {
    const result = await seatmeterExec(args, folder('plain'));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });
});
