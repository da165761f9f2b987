import { CLIENT_HOOK_TIMEOUT_S, HOOK_EVENTS, commandHookNotes, hookCommandLine } from './budget-hooks.ts';
import { userResourceAttributes } from './otel-env.ts';
import { tomlInline, tomlString } from './toml.ts';
import type { TomlValue } from './toml.ts';
import type { ClientConfig, ClientConfigRequest, ConfigSection } from './types.ts';

function otlpHttp(endpoint: string, token: string | undefined): TomlValue {
  const exporter: Record<string, TomlValue> = { endpoint, protocol: 'binary' };
  if (token !== undefined) exporter['headers'] = { Authorization: `Bearer ${token}` };
  return { 'otlp-http': exporter };
}

function otelTable(request: ClientConfigRequest): string {
  return [
    '[otel]',
    '# Prompts stay "[REDACTED]" in events.',
    'log_user_prompt = false',
    '# Codex posts to each endpoint verbatim and never appends /v1/..., so each signal names its full URL.',
    `exporter = ${tomlInline(otlpHttp(`${request.endpoint}/v1/logs`, request.token))}`,
    '# Must be set: the default exporter, statsig, sends metrics to OpenAI and never to seatmeter.',
    `metrics_exporter = ${tomlInline(otlpHttp(`${request.endpoint}/v1/metrics`, request.token))}`,
    '# seatmeter stores no traces, so Codex need not upload its spans (about 180 kB a run).',
    'trace_exporter = "none"',
  ].join('\n');
}

/**
 * The budget hook as inline [hooks] tables (developers.openai.com/codex/hooks; openai/codex#18893 added them to
 * config.toml and requirements.toml): an event's matcher groups are [[hooks.<Event>]], each handler
 * [[hooks.<Event>.hooks]]. No matcher: every tool call.
 */
function hookTables(request: ClientConfigRequest): string {
  return HOOK_EVENTS.codex
    .map((event) => [`[[hooks.${event}]]`, `[[hooks.${event}.hooks]]`, 'type = "command"', `command = ${tomlString(hookCommandLine(request))}`, `timeout = ${CLIENT_HOOK_TIMEOUT_S}`].join('\n'))
    .join('\n\n');
}

/**
 * Managed hooks in the admin's requirements.toml with `allow_managed_hooks_only` (top level, so above every
 * table): user, project and session hooks are then ignored (openai/codex docs/config.md, "Lifecycle hooks").
 */
function requirements(request: ClientConfigRequest): ConfigSection {
  return {
    headings: ['/etc/codex/requirements.toml'],
    content: ['# Only managed hooks run: developers cannot drop the budget hook from their own config.', 'allow_managed_hooks_only = true', '', hookTables(request)].join('\n'),
  };
}

function dotenv(user: string): ConfigSection {
  return {
    headings: ['~/.codex/.env'],
    content: [
      '# Codex loads this file into its environment at startup (codex-rs arg0 load_dotenv; CODEX_* keys are skipped),',
      '# overriding values from the shell. That its OTel resource then carries OTEL_RESOURCE_ATTRIBUTES is unverified:',
      '# seatmeter\'s reference notes say "reported as honoured by third parties; not verified in source".',
      `OTEL_RESOURCE_ATTRIBUTES=${userResourceAttributes(user)}`,
    ].join('\n'),
  };
}

export function codexConfig(request: ClientConfigRequest): ClientConfig {
  const userHooks = request.hooks !== 'none' && !request.managed;
  const config: ConfigSection = {
    headings: [request.managed ? '/etc/codex/managed_config.toml' : '~/.codex/config.toml'],
    content: userHooks ? `${otelTable(request)}\n\n${hookTables(request)}` : otelTable(request),
  };
  const hookSections = request.hooks !== 'none' && request.managed ? [requirements(request)] : [];
  const notes = [
    'Paste the [otel] table at the end of config.toml (top-level keys must stay above it), replacing any [otel] table already there.',
    'With CODEX_HOME set, Codex reads config.toml and .env from that folder instead of ~/.codex.',
    'Leave [analytics] enabled: some Codex versions reportedly drop a custom metrics exporter when it is false. seatmeter counts Codex tokens from its log events, which are unaffected.',
  ];
  if (request.hooks !== 'none') {
    notes.push(...commandHookNotes(request));
    notes.push(
      request.managed
        ? 'Managed hooks run without the per-user review; if requirements.toml already has top-level keys, keep allow_managed_hooks_only among them, above the tables.'
        : 'Codex asks each developer to review and trust a non-managed hook before it runs; use --managed to enforce it.',
    );
  }
  if (request.user === undefined) {
    notes.push('Without --user, Codex usage is unattributed: Codex puts no e-mail on its metrics, and on its events only when signed in with ChatGPT. Add --user, or have the seatmeter server bind the token to a user.');
    return { sections: [config, ...hookSections], notes };
  }
  notes.push('Because ~/.codex/.env overrides the environment, `seatmeter exec` cannot add service.namespace for Codex while it sets OTEL_RESOURCE_ATTRIBUTES; to tag repositories, export that line from your shell profile instead.');
  return { sections: [config, ...hookSections, dotenv(request.user)], notes };
}
