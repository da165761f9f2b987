import { parseArgs } from 'node:util';
import { clientConfig, clientConfigRequest, renderSections } from '../../lambdas/onboarding/client-config.ts';
import { OnboardingInputError } from '../../lambdas/onboarding/errors.ts';

const HELP = `usage: seatmeter client-config claude-code|codex|gemini --endpoint URL [--token T] [--user EMAIL] [--managed]
                             [--hooks command|http|none] [--fail open|closed] [--hook-path PATH]
                             [--protocol http|grpc [--grpc-port 4317]]

Prints what to paste where so an agent CLI sends its telemetry to seatmeter: each file's path on a "==>"
line, then its content. Advice that is not pasted goes to stderr. Prompt text is never exported.
  --endpoint  base URL of the seatmeter receiver, e.g. http://127.0.0.1:4318 or the API Gateway URL
  --token     the receiver's bearer token (sent as Authorization: Bearer <token>)
  --user      e-mail address to attribute this machine's usage to
  --managed   the administrator's machine-wide file instead of the user's own (claude-code, codex); with hooks,
              also the client's managed-hooks-only switch, so developers cannot remove the budget cap
  --hooks     the budget hook beside the telemetry: the bundled command (default), Claude Code's http hook
              (nothing to install, but it cannot fail closed), or none
  --fail      what the command hook does when seatmeter cannot answer: open (default, warn once) or closed
  --hook-path where the bundled hook file is on the developer's machine
              (default ~/.seatmeter/seatmeter-hook.cjs, or /opt/seatmeter/seatmeter-hook.cjs with --managed)
  --protocol  gemini only: grpc sends Gemini CLI's telemetry over OTLP/gRPC to \`seatmeter serve\` on the
              endpoint's host at --grpc-port (default 4317); the AWS receiver takes OTLP/HTTP only`;

export const clientConfigCommand = {
  async run(args: string[]): Promise<number> {
    let parsed;
    try {
      parsed = parseArgs({
        args,
        allowPositionals: true,
        options: {
          endpoint: { type: 'string' },
          token: { type: 'string' },
          user: { type: 'string' },
          managed: { type: 'boolean' },
          hooks: { type: 'string' },
          fail: { type: 'string' },
          'hook-path': { type: 'string' },
          protocol: { type: 'string' },
          'grpc-port': { type: 'string' },
          help: { type: 'boolean', short: 'h' },
        },
      });
    } catch (error) {
      // parseArgs throws only for arguments it cannot read: a usage error.
      process.stderr.write(`seatmeter client-config: ${(error as Error).message}\n\n${HELP}\n`);
      return 2;
    }
    const { values, positionals } = parsed;
    if (values.help === true) {
      process.stdout.write(`${HELP}\n`);
      return 0;
    }
    if (positionals.length > 1) {
      process.stderr.write(`seatmeter client-config: one client at a time, got ${positionals.join(' ')}\n`);
      return 2;
    }
    try {
      const request = clientConfigRequest({
        client: positionals[0],
        endpoint: values.endpoint,
        token: values.token,
        user: values.user,
        managed: values.managed === true,
        hooks: values.hooks,
        fail: values.fail,
        hookPath: values['hook-path'],
        protocol: values.protocol,
        grpcPort: values['grpc-port'],
      });
      const config = clientConfig(request);
      process.stdout.write(renderSections(config));
      for (const note of config.notes) process.stderr.write(`note: ${note}\n`);
      return 0;
    } catch (error) {
      if (!(error instanceof OnboardingInputError)) throw error;
      process.stderr.write(`seatmeter client-config: ${error.message}\n`);
      return 2;
    }
  },
};
