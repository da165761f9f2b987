import { clientConfigCommand } from './commands/client-config.ts';
import { execCommand } from './commands/exec.ts';
import { doctorCommand } from './commands/doctor.ts';
import { normalizeFileCommand } from './commands/normalize-file.ts';
import { replayCommand } from './commands/replay.ts';
import { reportCommand } from './commands/report.ts';
import { rollupCommand } from './commands/rollup.ts';
import { serveCommand } from './commands/serve.ts';

interface Command {
  readonly summary: string;
  run(args: string[]): Promise<number>;
}

const COMMANDS: Readonly<Record<string, Command>> = {
  serve: serveCommand,
  report: reportCommand,
  replay: replayCommand,
  rollup: rollupCommand,
  doctor: doctorCommand,
  'normalize-file': normalizeFileCommand,
  'client-config': clientConfigCommand,
  exec: execCommand,
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, command]) => `  ${name.padEnd(16)} ${command.summary}`);
  return ['usage: seatmeter <command> [options]', '', 'commands:', ...lines, '', 'Run `seatmeter <command> --help` for its options.'].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    process.stderr.write(`seatmeter: unknown command "${name}"\n\n${usage()}\n`);
    return 2;
  }
  return command.run(rest);
}

process.exitCode = await main(process.argv.slice(2));
