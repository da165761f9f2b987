import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

const CLI = new URL('../../bin/cli.ts', import.meta.url).pathname;

export interface ServerProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything the process printed so far. */
  readonly output: string[];
}

/** Runs `seatmeter serve` as its own process, as a user would, on a free port. */
export function spawnServer(dataDir: string, extraArgs: readonly string[] = []): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve', '--port', '0', '--data-dir', dataDir, ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => output.push(line));
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      output.push(line);
      const match = /^seatmeter listening on (\S+)/.exec(line);
      if (match?.[1] !== undefined) resolve({ url: match[1], child, output });
    });
    child.once('exit', (code) => reject(new Error(`seatmeter serve exited with ${code}: ${output.join('\n')}`)));
  });
}

export function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}
