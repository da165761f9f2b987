import { homedir } from 'node:os';
import { join } from 'node:path';
import { HOOK_CLIENTS } from './hook-clients.ts';
import type { HookClient } from './hook-clients.ts';

export type FailMode = 'open' | 'closed';

export interface HookSettings {
  readonly client: HookClient;
  readonly fail: FailMode;
  /** The receiver's base URL, where /v1/budget/decision is served beside /v1/logs. */
  readonly endpoint: string | null;
  /** The Authorization header value the telemetry sends. */
  readonly authorization: string | null;
  readonly userEmail: string | null;
  readonly timeoutMs: number;
  readonly ttlMs: number;
  readonly cacheDir: string;
}

/** The hook's command line or environment cannot be used; the message says which setting. */
export class HookSettingsError extends Error {}

export const DEFAULT_TIMEOUT_MS = 2_000;
export const DEFAULT_TTL_S = 30;

/** Splits an OTel key=value list (OTEL_RESOURCE_ATTRIBUTES, OTEL_EXPORTER_OTLP_HEADERS) and percent-decodes values. */
function otelPairs(text: string | undefined): Map<string, string> {
  const pairs = new Map<string, string>();
  for (const entry of (text ?? '').split(',')) {
    const equals = entry.indexOf('=');
    if (equals <= 0) continue;
    let value = entry.slice(equals + 1).trim();
    try {
      value = decodeURIComponent(value);
    } catch {
      // Kept as written: a stray '%' is not worth refusing the developer's action over.
    }
    pairs.set(entry.slice(0, equals).trim().toLowerCase(), value);
  }
  return pairs;
}

/** The receiver's base from an OTLP endpoint: the base itself, or a per-signal URL ending in /v1/<signal>. */
function endpointBase(url: string): string {
  return url.trim().replace(/\/+$/, '').replace(/\/v1\/(logs|metrics|traces)$/, '');
}

function cacheDirectory(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string {
  if (env.SEATMETER_CACHE_DIR) return env.SEATMETER_CACHE_DIR;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'seatmeter');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'seatmeter');
  if (platform === 'win32' && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, 'seatmeter', 'cache');
  return join(homedir(), '.cache', 'seatmeter');
}

function option(args: readonly string[], name: string): string | undefined {
  const index = args.indexOf(`--${name}`);
  if (index !== -1) {
    const value = args[index + 1];
    if (value === undefined || value.startsWith('--')) throw new HookSettingsError(`--${name} needs a value`);
    return value;
  }
  const inline = args.find((arg) => arg.startsWith(`--${name}=`));
  return inline?.slice(name.length + 3);
}

function positiveNumber(text: string | undefined, name: string, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) throw new HookSettingsError(`--${name} "${text}" is not a number of ${name.endsWith('ms') ? 'milliseconds' : 'seconds'}`);
  return value;
}

const KNOWN = new Set(['fail', 'endpoint', 'token', 'user', 'timeout-ms', 'ttl-s']);

/**
 * `seatmeter hook <client> [--fail open|closed] [--endpoint URL] [--token T] [--user EMAIL] [--timeout-ms N]
 * [--ttl-s N]`. Unset options come from SEATMETER_* variables, then from the OTEL_* settings the client's own
 * telemetry uses, so a hook beside the telemetry settings needs no options of its own.
 */
export function hookSettings(args: readonly string[], env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): HookSettings {
  const [client, ...rest] = args;
  if (!HOOK_CLIENTS.includes(client as HookClient)) throw new HookSettingsError(`name the client: seatmeter hook ${HOOK_CLIENTS.join('|')}, got "${client ?? ''}"`);
  for (const arg of rest) {
    const name = arg.startsWith('--') ? arg.slice(2).split('=', 1)[0] ?? '' : null;
    if (name !== null && !KNOWN.has(name)) throw new HookSettingsError(`unknown option ${arg}`);
  }
  const fail = option(rest, 'fail') ?? env.SEATMETER_HOOK_FAIL ?? 'open';
  if (fail !== 'open' && fail !== 'closed') throw new HookSettingsError(`--fail must be open or closed, got "${fail}"`);
  const endpoint = option(rest, 'endpoint') ?? env.SEATMETER_URL ?? env.OTEL_EXPORTER_OTLP_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_LOGS_ENDPOINT;
  const token = option(rest, 'token') ?? env.SEATMETER_TOKEN;
  const user = option(rest, 'user') ?? env.SEATMETER_USER_EMAIL ?? otelPairs(env.OTEL_RESOURCE_ATTRIBUTES).get('user.email');
  return {
    client: client as HookClient,
    fail,
    endpoint: endpoint === undefined || endpoint.trim() === '' ? null : endpointBase(endpoint),
    authorization: token !== undefined ? `Bearer ${token}` : otelPairs(env.OTEL_EXPORTER_OTLP_HEADERS).get('authorization') ?? null,
    userEmail: user === undefined || user.trim() === '' ? null : user.trim(),
    timeoutMs: positiveNumber(option(rest, 'timeout-ms'), 'timeout-ms', DEFAULT_TIMEOUT_MS),
    ttlMs: positiveNumber(option(rest, 'ttl-s'), 'ttl-s', DEFAULT_TTL_S) * 1000,
    cacheDir: cacheDirectory(env, platform),
  };
}
