interface Command {
  readonly summary: string;
  /** Loaded only when run: each command's imports (DuckDB, the AWS SDK) cost startup time the others need not pay. */
  load(): Promise<{ run(args: string[]): Promise<number> }>;
}

const COMMANDS: Readonly<Record<string, Command>> = {
  serve: { summary: 'run the local OTLP receiver, dashboard and store (what `npm start` runs)', load: async () => (await import('./commands/serve.ts')).serveCommand },
  report: { summary: 'token usage and cost per user, tool, model, repo, team, day, session or feature', load: async () => (await import('./commands/report.ts')).reportCommand },
  import: { summary: 'count the usage in the agent CLIs\' own session files that telemetry never sent', load: async () => (await import('./commands/import.ts')).importCommand },
  replay: { summary: 'rebuild records from the raw request archive (idempotent)', load: async () => (await import('./commands/replay.ts')).replayCommand },
  rollup: { summary: 'roll days up into the team tables for Athena (team_usage, Claude Code coverage)', load: async () => (await import('./commands/rollup.ts')).rollupCommand },
  features: { summary: 'read the pull requests that give sessions their feature, from GitHub (features sync)', load: async () => (await import('./commands/features.ts')).featuresCommand },
  budget: { summary: 'set, list, remove and exempt budgets, and see where each stands', load: async () => (await import('./commands/budget.ts')).budgetCommand },
  hook: { summary: 'the budget hook Claude Code, Codex and Gemini CLI run before each tool call and prompt', load: async () => (await import('./commands/hook.ts')).hookCommand },
  doctor: { summary: 'send a probe through a receiver and prove it was stored', load: async () => (await import('./commands/doctor.ts')).doctorCommand },
  'normalize-file': { summary: 'show the canonical records seatmeter derives from captured OTLP bodies', load: async () => (await import('./commands/normalize-file.ts')).normalizeFileCommand },
  'client-config': { summary: 'print the settings that point Claude Code, Codex or Gemini CLI at seatmeter', load: async () => (await import('./commands/client-config.ts')).clientConfigCommand },
  exec: { summary: 'run an agent CLI with the current repository added to its telemetry', load: async () => (await import('./commands/exec.ts')).execCommand },
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
  return (await command.load()).run(rest);
}

process.exitCode = await main(process.argv.slice(2));
