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
