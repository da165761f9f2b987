import { shellQuote } from './shell.ts';
import type { ClientConfigRequest, ClientId } from './types.ts';

/** Where the bundled hook (dist/seatmeter-hook.cjs) is copied on a developer's machine, unless --hook-path says. */
export const DEFAULT_HOOK_PATH = '~/.seatmeter/seatmeter-hook.cjs';
export const DEFAULT_MANAGED_HOOK_PATH = '/opt/seatmeter/seatmeter-hook.cjs';

/**
 * The clients' own timeout for the hook, in seconds: above the hook's 2 s wait for the receiver, because a client
 * lets the action through when its hook times out, which would turn --fail closed into open.
 */
export const CLIENT_HOOK_TIMEOUT_S = 10;

/** The events each client runs the hook on: before every tool call, and on the prompt that starts a turn. */
export const HOOK_EVENTS: Readonly<Record<ClientId, readonly [tool: string, prompt: string]>> = {
  'claude-code': ['PreToolUse', 'UserPromptSubmit'],
  codex: ['PreToolUse', 'UserPromptSubmit'],
  gemini: ['BeforeTool', 'BeforeAgent'],
};

/** A path for a POSIX shell: `~/…` through $HOME (a quoted ~ does not expand), anything else quoted literally. */
function shellPath(path: string): string {
  return path.startsWith('~/') ? `"$HOME/${path.slice(2).replaceAll(/["\\$`]/g, (character) => `\\${character}`)}"` : shellQuote(path);
}

/**
 * The command line each client runs. Token and user ride as variables on the command rather than as
 * arguments, so they never show in a process listing; the endpoint is named because Codex and Gemini CLI keep
 * theirs in config files the hook cannot read.
 */
export function hookCommandLine(request: ClientConfigRequest): string {
  const assignments = [
    ...(request.token === undefined ? [] : [`SEATMETER_TOKEN=${shellQuote(request.token)}`]),
    ...(request.user === undefined ? [] : [`SEATMETER_USER_EMAIL=${shellQuote(request.user)}`]),
  ];
  return [...assignments, 'node', shellPath(request.hookPath), request.client, '--endpoint', shellQuote(request.endpoint), '--fail', request.fail].join(' ');
}

/** The advice that goes with a command hook: getting the file onto the machine, and what the fail mode means. */
export function commandHookNotes(request: ClientConfigRequest): string[] {
  return [
    `Copy dist/seatmeter-hook.cjs (made by npm ci or npm run build:hook in the seatmeter checkout) to ${request.hookPath}; the hook needs Node.js 20+ on the PATH.`,
    request.fail === 'open'
      ? 'The hook fails open: if seatmeter cannot be reached it lets actions through and warns once; --fail closed refuses them instead.'
      : 'The hook fails closed: while seatmeter cannot be reached, every tool call and prompt is refused.',
  ];
}
