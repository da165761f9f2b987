import { claudeCodeConfig } from './claude-code.ts';
import { codexConfig } from './codex.ts';
import { OnboardingInputError } from './errors.ts';
import { geminiCliConfig } from './gemini-cli.ts';
import { bearerToken, receiverEndpoint, userEmail } from './inputs.ts';
import type { ClientConfig, ClientConfigRequest, ClientId } from './types.ts';

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
  return {
    client,
    endpoint: receiverEndpoint(flags.endpoint),
    token: bearerToken(flags.token),
    user: userEmail(flags.user),
    managed: flags.managed,
  };
}

export function clientConfig(request: ClientConfigRequest): ClientConfig {
  return GENERATORS[request.client](request);
}

/** Each file's headings as `==> …` lines, then its content; files separated by a blank line. */
export function renderSections(config: ClientConfig): string {
  const blocks = config.sections.map((section) => [...section.headings.map((heading) => `==> ${heading}`), section.content].join('\n'));
  return `${blocks.join('\n\n')}\n`;
}
