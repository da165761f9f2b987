import { readServerInfo } from '../../lambdas/local/server-info.ts';

/** The data directory shared by `serve`, `report` and the other local commands. */
export function dataDirOption(flag: string | undefined): string {
  return flag ?? process.env.SEATMETER_DATA_DIR ?? '.seatmeter';
}

/** Options of the commands that talk to the local store: through the running server, or its data directory. */
export const LOCAL_STORE_OPTIONS = {
  from: { type: 'string' },
  to: { type: 'string' },
  'data-dir': { type: 'string' },
  url: { type: 'string' },
  token: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The running server to ask: `--url`, SEATMETER_URL, or the one recorded in the data directory; else none. */
export function serverUrlOption(flag: string | undefined, dataDir: string): string | undefined {
  return flag ?? process.env.SEATMETER_URL ?? readServerInfo(dataDir)?.url;
}

export function tokenOption(flag: string | undefined): string | undefined {
  return flag ?? process.env.SEATMETER_TOKEN;
}

export class OptionError extends Error {}

/** The interface `serve` listens on: loopback unless told otherwise. */
export function hostOption(flag: string | undefined): string {
  return flag ?? process.env.SEATMETER_HOST ?? '127.0.0.1';
}

/** The port `serve` listens on: the OTLP/HTTP port unless told otherwise; 0 picks a free one. */
export function portOption(flag: string | undefined): number {
  return portNumber(flag ?? process.env.SEATMETER_PORT ?? '4318', '--port');
}

/** The OTLP/gRPC port (4317, OTLP's), or undefined for `off`: no gRPC listener. */
export function grpcPortOption(flag: string | undefined): number | undefined {
  const text = flag ?? process.env.SEATMETER_GRPC_PORT ?? '4317';
  return text === 'off' ? undefined : portNumber(text, '--grpc-port');
}

function portNumber(text: string, option: string): number {
  const port = Number(text);
  if (text.trim() === '' || !Number.isInteger(port) || port < 0 || port > 65535) throw new OptionError(`${option} "${text}" is not a port number`);
  return port;
}

/** A positive number of seconds; `fallback` when the option is absent. */
export function secondsOption(flag: string | undefined, option: string, fallback: number): number {
  if (flag === undefined) return fallback;
  const seconds = Number(flag);
  if (flag.trim() === '' || !Number.isFinite(seconds) || seconds <= 0) throw new OptionError(`${option} "${flag}" is not a number of seconds above 0`);
  return seconds;
}
