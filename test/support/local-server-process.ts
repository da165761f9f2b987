import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

const CLI = new URL('../../bin/cli.ts', import.meta.url).pathname;

export interface ServerProcess {
  readonly url: string;
  /** Where it takes OTLP/gRPC, unless started with `--grpc-port off`. */
  readonly grpcAddress: string | undefined;
  readonly child: ChildProcess;
  /** Everything the process printed so far. */
  readonly output: string[];
}

/** Runs `seatmeter serve` as its own process, as a user would, on free ports. */
export function spawnServer(dataDir: string, extraArgs: readonly string[] = []): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve', '--port', '0', '--grpc-port', '0', '--data-dir', dataDir, ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  createInterface({ input: child.stderr }).on('line', (line) => output.push(line));
  let url: string | undefined;
  let grpcAddress: string | undefined;
  return new Promise((resolve, reject) => {
    // The banner ends with its dashboard line; what it says before that is where the server listens.
    createInterface({ input: child.stdout }).on('line', (line) => {
      output.push(line);
      url ??= /^seatmeter listening on (\S+)/.exec(line)?.[1];
      grpcAddress ??= /^ {2}OTLP\/gRPC: (\S+)/.exec(line)?.[1];
      if (url !== undefined && line.startsWith('  dashboard: ')) resolve({ url, grpcAddress, child, output });
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
