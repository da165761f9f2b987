import { describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.ts';

describe('seatmeter serve', () => {
  it.each([
    [['--port', '99999'], {}, '--port "99999" is not a port number'],
    [[], { SEATMETER_PORT: 'http' }, '--port "http" is not a port number'],
    [[], { SEATMETER_PORT: ' ' }, '--port " " is not a port number'],
  ])('refuses %j %j before opening anything', async (args, env, message) => {
    const result = await runCli(['serve', ...args], env);
    expect([result.code, result.stderr]).toEqual([2, `seatmeter serve: ${message}\n`]);
  });
});
