import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where a running server says it listens, so `seatmeter report` can ask it instead of opening the file. */
export interface ServerInfo {
  readonly url: string;
  readonly pid: number;
}

const FILE = 'server.json';

export function writeServerInfo(dataDir: string, info: ServerInfo): void {
  writeFileSync(join(dataDir, FILE), `${JSON.stringify(info)}\n`, { mode: 0o600 });
}

export function removeServerInfo(dataDir: string): void {
  rmSync(join(dataDir, FILE), { force: true });
}

/** The server recorded in `dataDir`, or null when none is recorded or its process is gone (killed, crashed). */
export function readServerInfo(dataDir: string): ServerInfo | null {
  let info: ServerInfo;
  try {
    info = JSON.parse(readFileSync(join(dataDir, FILE), 'utf8')) as ServerInfo;
  } catch {
    return null;
  }
  try {
    process.kill(info.pid, 0);
  } catch {
    return null;
  }
  return info;
}
