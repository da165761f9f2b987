import { afterEach, describe, expect, it, vi } from 'vitest';
import { clientConfigCommand } from '../../bin/commands/client-config.ts';

async function run(args: string[]) {
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const code = await clientConfigCommand.run(args);
  const text = (spy: typeof stdout) => spy.mock.calls.map(([chunk]) => String(chunk)).join('');
  return { code, stdout: text(stdout), stderr: text(stderr) };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('seatmeter client-config', () => {
  it('prints each file under its heading, with advice on stderr', async () => {
    const result = await run(['codex', '--endpoint', 'http://127.0.0.1:4318/', '--token', 'tok', '--user', 'dev@example.com']);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n').filter((line) => line.startsWith('==> '))).toEqual(['==> ~/.codex/config.toml', '==> ~/.codex/.env']);
    expect(result.stderr).toMatch(/^note: /);
  });

  it('prints its help with exit code 0', async () => {
    const result = await run(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('usage: seatmeter client-config claude-code|codex|gemini');
  });

  it.each([
    [['copilot', '--endpoint', 'http://127.0.0.1:4318'], 'unknown client "copilot"'],
    [['--endpoint', 'http://127.0.0.1:4318'], 'name the client'],
    [['codex', 'gemini', '--endpoint', 'http://127.0.0.1:4318'], 'one client at a time'],
    [['codex'], '--endpoint is required'],
    [['codex', '--endpoint', 'ftp://meter.example.com'], 'must start with http:// or https://'],
    [['codex', '--endpoint', 'http://127.0.0.1:4318', '--user', 'dev'], '--user "dev" is not an e-mail address'],
    [['codex', '--endpoint', 'http://127.0.0.1:4318', '--verbose'], "Unknown option '--verbose'"],
    [['gemini', '--endpoint', 'http://127.0.0.1:4318', '--managed'], '--managed applies to claude-code and codex only'],
  ])('exits 2 for %j', async (args, message) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(message);
  });

  it('rejects a token with whitespace without printing it', async () => {
    const result = await run(['claude-code', '--endpoint', 'http://127.0.0.1:4318', '--token', 'secret value']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--token must be printable ASCII');
    expect(result.stderr).not.toContain('secret');
  });
});
