import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { isatty } from 'node:tty';
import { parseArgs } from 'node:util';
import { withServiceNamespace } from '../../lambdas/onboarding/otel-env.ts';
import { detectRepo } from './git-repo.ts';

const HELP = `usage: seatmeter exec [--repo NAME] -- <cli> [args…]

Runs an agent CLI (claude, codex, gemini, …) with service.namespace=<repo> added to OTEL_RESOURCE_ATTRIBUTES,
so seatmeter can report usage per repository, and exits with the CLI's exit code.
  --repo  the repository; by default owner/name of the git remote "origin", else the name of the git
          top-level folder, else none (with a warning)`;

function runChild(cli: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(cli, args, { stdio: 'inherit', env });
    // Ctrl-C in a terminal already reaches the child, which shares our process group; sending it again would
    // make one keypress count twice (Claude Code exits on a second Ctrl-C). Without a terminal on stdin, a
    // SIGINT most likely came from a `kill` aimed at this process alone, so only then is it passed on.
    const onInterrupt = (): void => {
      if (!isatty(0)) child.kill('SIGINT');
    };
    const onTerminate = (): void => {
      child.kill('SIGTERM');
    };
    process.on('SIGINT', onInterrupt);
    process.on('SIGTERM', onTerminate);
    let settled = false;
    const settle = (code: number): void => {
      if (settled) return;
      settled = true;
      process.off('SIGINT', onInterrupt);
      process.off('SIGTERM', onTerminate);
      resolve(code);
    };
    child.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') process.stderr.write(`seatmeter exec: ${cli}: command not found\n`);
      else process.stderr.write(`seatmeter exec: cannot run ${cli}: ${error.message}\n`);
      settle(error.code === 'ENOENT' ? 127 : 126);
    });
    // A child ended by a signal reports 128 + its number, as a shell would.
    child.once('exit', (code, signal) => settle(code ?? 128 + (signal === null ? 0 : constants.signals[signal])));
  });
}

export const execCommand = {
  async run(args: string[]): Promise<number> {
    const separator = args.indexOf('--');
    const own = separator < 0 ? args : args.slice(0, separator);
    const [cli, ...cliArgs] = separator < 0 ? [] : args.slice(separator + 1);
    let values;
    try {
      ({ values } = parseArgs({ args: own, options: { repo: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
    } catch (error) {
      // parseArgs throws only for arguments it cannot read: a usage error.
      process.stderr.write(`seatmeter exec: ${(error as Error).message}\n\n${HELP}\n`);
      return 2;
    }
    if (values.help === true) {
      process.stdout.write(`${HELP}\n`);
      return 0;
    }
    if (cli === undefined || cli === '') {
      process.stderr.write(`seatmeter exec: name the CLI to run after --\n\n${HELP}\n`);
      return 2;
    }
    if (values.repo !== undefined && values.repo.trim() === '') {
      process.stderr.write('seatmeter exec: --repo must not be empty\n');
      return 2;
    }
    const repo = values.repo ?? (await detectRepo());
    const env = { ...process.env };
    if (repo === undefined) {
      process.stderr.write('seatmeter exec: no --repo, no git remote "origin" and no git work tree here; running without service.namespace\n');
    } else {
      env['OTEL_RESOURCE_ATTRIBUTES'] = withServiceNamespace(process.env['OTEL_RESOURCE_ATTRIBUTES'], repo);
    }
    return runChild(cli, cliArgs, env);
  },
};
