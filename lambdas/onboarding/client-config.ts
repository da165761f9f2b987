import { claudeCodeConfig } from './claude-code.ts';
import { codexConfig } from './codex.ts';
import { OnboardingInputError } from './errors.ts';
import { geminiCliConfig } from './gemini-cli.ts';
import { bearerToken, receiverEndpoint, userEmail } from './inputs.ts';
import { DEFAULT_HOOK_PATH, DEFAULT_MANAGED_HOOK_PATH } from './budget-hooks.ts';
import { HOOK_WIRINGS } from './types.ts';
import type { ClientConfig, ClientConfigRequest, ClientId, HookWiring } from './types.ts';

const GENERATORS: Readonly<Record<ClientId, (request: ClientConfigRequest) => ClientConfig>> = {
  'claude-code': claudeCodeConfig,
  codex: codexConfig,
  gemini: geminiCliConfig,
};

function isClientId(name: string): name is ClientId {
  return Object.hasOwn(GENERATORS, name);
}

export interface RawClientConfigFlags {
  readonly client: string | undefined;
  readonly endpoint: string | undefined;
  readonly token: string | undefined;
  readonly user: string | undefined;
  readonly managed: boolean;
  readonly hooks?: string | undefined;
  readonly fail?: string | undefined;
  readonly hookPath?: string | undefined;
  readonly protocol?: string | undefined;
  readonly grpcPort?: string | undefined;
}

/** Checks every flag, throwing OnboardingInputError for the first one that cannot work. */
export function clientConfigRequest(flags: RawClientConfigFlags): ClientConfigRequest {
  const { client } = flags;
  if (client === undefined || !isClientId(client)) {
    const known = Object.keys(GENERATORS).join(', ');
    throw new OnboardingInputError(client === undefined ? `name the client: ${known}` : `unknown client "${client}"; expected one of ${known}`);
  }
  // Gemini CLI's machine-wide settings file is not in seatmeter's reference notes, so no path is offered for it.
  if (flags.managed && client === 'gemini') throw new OnboardingInputError('--managed applies to claude-code and codex only');
  const hooks = flags.hooks ?? 'command';
  if (!HOOK_WIRINGS.includes(hooks as HookWiring)) throw new OnboardingInputError(`--hooks must be one of ${HOOK_WIRINGS.join(', ')}, got "${hooks}"`);
  // Codex and Gemini CLI run command hooks only.
  if (hooks === 'http' && client !== 'claude-code') throw new OnboardingInputError('--hooks http applies to claude-code only: Codex and Gemini CLI run command hooks only');
  const fail = flags.fail ?? 'open';
  if (fail !== 'open' && fail !== 'closed') throw new OnboardingInputError(`--fail must be open or closed, got "${fail}"`);
  const hookPath = flags.hookPath ?? (flags.managed ? DEFAULT_MANAGED_HOOK_PATH : DEFAULT_HOOK_PATH);
  if (hookPath.trim() === '' || /[\n\r]/.test(hookPath)) throw new OnboardingInputError('--hook-path must be a path on one line');
  const endpoint = receiverEndpoint(flags.endpoint);
  return {
    client,
    endpoint,
    token: bearerToken(flags.token),
    user: userEmail(flags.user),
    managed: flags.managed,
    hooks: hooks as HookWiring,
    fail,
    hookPath,
    grpcEndpoint: grpcEndpoint(client, endpoint, flags),
  };
}

/** OTLP/gRPC goes to the local server's gRPC port on the host of its HTTP endpoint. */
function grpcEndpoint(client: ClientId, endpoint: string, flags: RawClientConfigFlags): string | undefined {
  const protocol = flags.protocol ?? 'http';
  if (protocol !== 'http' && protocol !== 'grpc') throw new OnboardingInputError(`--protocol must be http or grpc, got "${protocol}"`);
  if (protocol === 'http') {
    if (flags.grpcPort !== undefined) throw new OnboardingInputError('--grpc-port goes with --protocol grpc');
    return undefined;
  }
  if (client !== 'gemini') throw new OnboardingInputError('--protocol grpc applies to gemini only; claude-code and codex are set up for OTLP/HTTP, which every seatmeter receiver takes');
  const url = new URL(endpoint);
  // API Gateway HTTP APIs speak HTTP/1.1 and HTTP/2 without gRPC framing, and the local server has no TLS.
  if (url.protocol !== 'http:') throw new OnboardingInputError('--protocol grpc reaches `seatmeter serve` only (plain http://); the AWS receiver behind API Gateway takes OTLP/HTTP alone, so leave --protocol at http for it');
  const port = flags.grpcPort ?? '4317';
  if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) throw new OnboardingInputError(`--grpc-port "${port}" is not a port number`);
  url.port = port;
  return url.origin;
}

export function clientConfig(request: ClientConfigRequest): ClientConfig {
  return GENERATORS[request.client](request);
}

/** Each file's headings as `==> …` lines, then its content; files separated by a blank line. */
export function renderSections(config: ClientConfig): string {
  const blocks = config.sections.map((section) => [...section.headings.map((heading) => `==> ${heading}`), section.content].join('\n'));
  return `${blocks.join('\n\n')}\n`;
}
