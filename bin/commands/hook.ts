import { runHook } from '../../lambdas/hook/run-hook.ts';

const HELP = `usage: seatmeter hook claude-code|codex|gemini [--fail open|closed] [--endpoint URL] [--token T] [--user EMAIL]
                      [--timeout-ms 2000] [--ttl-s 30]

The command hook the clients run before each tool call and prompt: asks the receiver's budget decision route
and prints the client's own allow/deny answer. Endpoint, token and user default to SEATMETER_URL,
SEATMETER_TOKEN and SEATMETER_USER_EMAIL, then to the OTEL_* settings of the client's telemetry; the repo is
read from the working directory's git remote. Decisions are cached for --ttl-s in the user's cache directory
(SEATMETER_CACHE_DIR overrides). When the receiver cannot answer within --timeout-ms, --fail open (default)
lets the action through with one warning, --fail closed refuses it. Wire the bundled file
(npm run build:hook → dist/seatmeter-hook.cjs), which starts without TypeScript; see client-config.`;

export const hookCommand = {
  async run(args: string[]): Promise<number> {
    if (args.includes('--help') || args.includes('-h')) {
      process.stdout.write(`${HELP}\n`);
      return 0;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    const result = await runHook(args, Buffer.concat(chunks).toString('utf8'), process.env, Date.now(), process.cwd());
    if (result.stdout !== '') process.stdout.write(`${result.stdout}\n`);
    if (result.stderr !== '') process.stderr.write(result.stderr);
    return result.code;
  },
};
