import { CLIENT_HOOK_TIMEOUT_S, HOOK_EVENTS, commandHookNotes, hookCommandLine } from './budget-hooks.ts';
import { bearerHeadersEnv, userResourceAttributes } from './otel-env.ts';
import { shellQuote } from './shell.ts';
import type { ClientConfig, ClientConfigRequest, ConfigSection } from './types.ts';

const UNATTRIBUTED = 'Without --user, Gemini CLI usage carries user.email only when signed in with a Google account; with an API key it is unattributed.';

/**
 * The budget hook before every tool (matcher ".*", a regex) and every turn (geminicli.com/docs/hooks/reference);
 * Gemini CLI's hook timeout is in milliseconds.
 */
function budgetHooks(request: ClientConfigRequest): Record<string, unknown> {
  const handler = { type: 'command', name: 'seatmeter-budget', command: hookCommandLine(request), timeout: CLIENT_HOOK_TIMEOUT_S * 1000 };
  const [tool, prompt] = HOOK_EVENTS.gemini;
  return { [tool]: [{ matcher: '.*', hooks: [handler] }], [prompt]: [{ hooks: [handler] }] };
}

function settings(request: ClientConfigRequest): string {
  const telemetry = {
    enabled: true,
    target: 'local',
    otlpEndpoint: request.grpcEndpoint ?? request.endpoint,
    // Gemini CLI's default is grpc, which only `seatmeter serve` takes; the AWS receiver is OTLP/HTTP.
    otlpProtocol: request.grpcEndpoint === undefined ? 'http' : 'grpc',
    // Gemini CLI logs prompt text unless told not to.
    logPrompts: false,
  };
  return JSON.stringify(request.hooks === 'none' ? { telemetry } : { telemetry, hooks: budgetHooks(request) }, null, 2);
}

function launcher(request: ClientConfigRequest): ConfigSection {
  const assignments = [
    ...(request.user === undefined ? [] : [`  OTEL_RESOURCE_ATTRIBUTES=${shellQuote(userResourceAttributes(request.user))} \\`]),
    ...(request.token === undefined ? [] : [`  OTEL_EXPORTER_OTLP_HEADERS=${shellQuote(bearerHeadersEnv(request.token))} \\`]),
  ];
  const headerFinding = request.token === undefined ? [] : [
    '# OTLP headers: seatmeter\'s reference notes list no header setting for Gemini CLI, and its telemetry sdk.ts builds',
    '# the exporters from the URL alone; OTEL_EXPORTER_OTLP_HEADERS is read by the OpenTelemetry JS exporters themselves',
    '# (standard SDK behaviour, not checked against a Gemini capture).',
  ];
  return {
    headings: ['~/.bashrc or ~/.zshrc'],
    content: [
      '# Gemini CLI\'s settings have no key for resource attributes or headers, so they ride in its environment.',
      '# A function rather than an export keeps them away from every other program that speaks OTLP.',
      ...headerFinding,
      'gemini() {',
      ...assignments,
      '  command gemini "$@"',
      '}',
    ].join('\n'),
  };
}

export function geminiCliConfig(request: ClientConfigRequest): ClientConfig {
  const settingsFile = { headings: ['~/.gemini/settings.json'], content: settings(request) };
  const notes = request.hooks === 'none'
    ? ['Merge "telemetry" into the file\'s existing settings.']
    : [
        'Merge "telemetry" and "hooks" into the file\'s existing settings. Gemini CLI versions before hooks were on by default also need "tools": {"enableHooks": true}.',
        ...commandHookNotes(request),
      ];
  if (request.user === undefined) notes.push(UNATTRIBUTED);
  if (request.user === undefined && request.token === undefined) return { sections: [settingsFile], notes };
  notes.push(
    'Not ~/.gemini/.env: Gemini CLI reads only the first .env it finds walking up from the project (home last), and only in trusted folders.',
    '`seatmeter exec -- gemini` starts the binary, not this function; to tag repositories too, make its last line `command seatmeter exec -- gemini "$@"`.',
  );
  return { sections: [settingsFile, launcher(request)], notes };
}
