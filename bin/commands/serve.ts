import { parseArgs } from 'node:util';
import { UnsafeBindError, startLocalServer } from '../../lambdas/local/server.ts';
import { OptionError, dataDirOption, grpcPortOption, hostOption, portOption, secondsOption, tokenOption } from './options.ts';

const HELP = `usage: seatmeter serve [--host 127.0.0.1] [--port 4318] [--grpc-port 4317|off] [--data-dir ./.seatmeter] [--token TOKEN]
                       [--allow-unauthenticated-network]

Runs the local pipeline: an OTLP/HTTP receiver (any path; protobuf or JSON; gzip), an OTLP/gRPC receiver
(logs, metrics and trace services; gzip), the dashboard page at /, and the API that \`seatmeter report\` uses,
storing into an embedded DuckDB database in the data directory.
  --host      interface to listen on (default 127.0.0.1; SEATMETER_HOST)
  --port      port (default 4318, the OTLP/HTTP port; SEATMETER_PORT)
  --grpc-port OTLP/gRPC port on the same interface (default 4317; off for none; SEATMETER_GRPC_PORT)
  --data-dir  where the database lives (default ./.seatmeter; SEATMETER_DATA_DIR)
  --token     require Authorization: Bearer TOKEN (or Basic with TOKEN as password) on every request (SEATMETER_TOKEN)
  --allow-unauthenticated-network
              listen on a non-loopback --host without a token, answering any Host name: only on a trusted network
  --slack-webhook-url
              Slack incoming webhook for budget alerts of budgets that name none (SEATMETER_SLACK_WEBHOOK_URL)
  --alert-every-s
              how often budgets are checked for alerts (default 60)`;

export const serveCommand = {
  async run(args: string[]): Promise<number> {
    const { values } = parseArgs({
      args,
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        'grpc-port': { type: 'string' },
        'data-dir': { type: 'string' },
        token: { type: 'string' },
        'allow-unauthenticated-network': { type: 'boolean' },
        'slack-webhook-url': { type: 'string' },
        'alert-every-s': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help === true) {
      process.stdout.write(`${HELP}\n`);
      return 0;
    }
    let port: number;
    let grpcPort: number | undefined;
    let alertEveryMs: number;
    try {
      port = portOption(values.port);
      grpcPort = grpcPortOption(values['grpc-port']);
      alertEveryMs = secondsOption(values['alert-every-s'], '--alert-every-s', 60) * 1000;
    } catch (error) {
      if (!(error instanceof OptionError)) throw error;
      process.stderr.write(`seatmeter serve: ${error.message}\n`);
      return 2;
    }
    const dataDir = dataDirOption(values['data-dir']);
    let server;
    try {
      server = await startLocalServer({
        host: hostOption(values.host),
        port,
        grpcPort,
        dataDir,
        token: tokenOption(values.token),
        allowUnauthenticatedNetwork: values['allow-unauthenticated-network'] === true,
        slackWebhookUrl: values['slack-webhook-url'] ?? process.env.SEATMETER_SLACK_WEBHOOK_URL,
        alertEveryMs,
        log: (line) => process.stdout.write(`${new Date().toISOString()} ${line}\n`),
      });
    } catch (error) {
      if (!(error instanceof UnsafeBindError)) throw error;
      process.stderr.write(`seatmeter serve: ${error.message}\n`);
      return 2;
    }
    process.stdout.write(
      `seatmeter listening on ${server.url} (data in ${dataDir})\n` +
        (server.grpcAddress === undefined ? '' : `  OTLP/gRPC: ${server.grpcAddress}\n`) +
        `  dashboard: ${server.url}/\n` +
        `  point a CLI at it: npx seatmeter client-config claude-code --endpoint ${server.url}\n`,
    );
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await server.close();
    return 0;
  },
};
