import { CLIENT_HOOK_TIMEOUT_S, HOOK_EVENTS, commandHookNotes, hookCommandLine } from './budget-hooks.ts';
import { bearerHeadersEnv, userResourceAttributes } from './otel-env.ts';
import type { ClientConfig, ClientConfigRequest } from './types.ts';

// The reference notes name no managed-settings path; these are the file locations in Claude Code's settings docs.
const MANAGED_SETTINGS = [
  '/etc/claude-code/managed-settings.json (Linux, WSL)',
  '/Library/Application Support/ClaudeCode/managed-settings.json (macOS)',
  'C:\\Program Files\\ClaudeCode\\managed-settings.json (Windows)',
];

/** The route on the receiver that answers Claude Code's `http` hook (lambdas/http-answers/budget-answers.ts). */
const HTTP_HOOK_PATH = '/v1/hooks/claude-code';

/**
 * The budget hook on every tool call (matcher "*") and every prompt (code.claude.com/docs/en/hooks). An `http`
 * hook's headers are sent as written; a command hook finds the receiver from its own command line.
 */
function budgetHooks(request: ClientConfigRequest): Record<string, unknown> {
  const handler =
    request.hooks === 'http'
      ? {
          type: 'http',
          url: `${request.endpoint}${HTTP_HOOK_PATH}`,
          headers: {
            ...(request.token === undefined ? {} : { Authorization: `Bearer ${request.token}` }),
            ...(request.user === undefined ? {} : { 'seatmeter-user-email': request.user }),
          },
          timeout: CLIENT_HOOK_TIMEOUT_S,
        }
      : { type: 'command', command: hookCommandLine(request), timeout: CLIENT_HOOK_TIMEOUT_S };
  const [tool, prompt] = HOOK_EVENTS['claude-code'];
  return { [tool]: [{ matcher: '*', hooks: [handler] }], [prompt]: [{ hooks: [handler] }] };
}

function hookNotes(request: ClientConfigRequest): string[] {
  if (request.hooks === 'none') return [];
  const notes = request.hooks === 'http'
    ? ['The http hook needs nothing installed, but Claude Code lets an action through when the hook times out or cannot connect (it cannot fail closed), repo budgets do not apply (the hook cannot read the git remote), and every tool call is a request to the receiver.']
    : commandHookNotes(request);
  notes.push(
    request.managed
      ? 'allowManagedHooksOnly: only managed hooks run, so developers cannot remove the budget hook from their own settings.'
      : 'Merge "hooks" into the file\'s existing "hooks" object. A developer can remove it from their own settings; use --managed to enforce it.',
  );
  return notes;
}

/**
 * Claude Code's telemetry switches, set in a settings file's `env` block so they reach Claude Code alone and no
 * other program in the shell. OTEL_LOG_USER_PROMPTS is left unset: prompts are never exported.
 */
export function claudeCodeConfig(request: ClientConfigRequest): ClientConfig {
  const env: Record<string, string> = {
    CLAUDE_CODE_ENABLE_TELEMETRY: '1',
    OTEL_METRICS_EXPORTER: 'otlp',
    OTEL_LOGS_EXPORTER: 'otlp',
    // Claude Code has no default protocol; without one it exports nothing.
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    OTEL_EXPORTER_OTLP_ENDPOINT: request.endpoint,
  };
  if (request.token !== undefined) env['OTEL_EXPORTER_OTLP_HEADERS'] = bearerHeadersEnv(request.token);
  if (request.user !== undefined) env['OTEL_RESOURCE_ATTRIBUTES'] = userResourceAttributes(request.user);
  const settings: Record<string, unknown> = { env };
  if (request.hooks !== 'none') settings.hooks = budgetHooks(request);
  if (request.hooks !== 'none' && request.managed) settings.allowManagedHooksOnly = true;

  const notes = ['Merge these keys into the file\'s existing "env" object.', ...hookNotes(request)];
  if (request.managed) {
    notes.push(
      'In managed settings the endpoint, protocol and headers also override per-signal values a developer sets (Claude Code 2.1.217+), and the exporter switches here cannot be turned to "none" from user settings.',
      'Earlier Claude Code docs named C:\\ProgramData\\ClaudeCode\\managed-settings.json on Windows; use the folder your installed version reads.',
    );
  }
  if (request.user === undefined) {
    notes.push('Without --user, usage carries user.email only when Claude Code is signed in with a Claude account; with an API key, Bedrock, Vertex or Foundry it is unattributed.');
  } else {
    notes.push('A settings "env" value is likely to win over the environment, so `seatmeter exec` may not add service.namespace while OTEL_RESOURCE_ATTRIBUTES is set here (not verified).');
  }
  return {
    sections: [{ headings: request.managed ? MANAGED_SETTINGS : ['~/.claude/settings.json'], content: JSON.stringify(settings, null, 2) }],
    notes,
  };
}
