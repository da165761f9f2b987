import { userResourceAttributes } from './otel-env.ts';
import { tomlInline } from './toml.ts';
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
  const config: ConfigSection = {
    headings: [request.managed ? '/etc/codex/managed_config.toml' : '~/.codex/config.toml'],
    content: otelTable(request),
  };
  const notes = [
    'Paste the [otel] table at the end of config.toml (top-level keys must stay above it), replacing any [otel] table already there.',
    'With CODEX_HOME set, Codex reads config.toml and .env from that folder instead of ~/.codex.',
    'Leave [analytics] enabled: some Codex versions reportedly drop a custom metrics exporter when it is false. seatmeter counts Codex tokens from its log events, which are unaffected.',
  ];
  if (request.user === undefined) {
    notes.push('Without --user, Codex usage is unattributed: Codex puts no e-mail on its metrics, and on its events only when signed in with ChatGPT. Add --user, or have the seatmeter server bind the token to a user.');
    return { sections: [config], notes };
  }
  notes.push('Because ~/.codex/.env overrides the environment, `seatmeter exec` cannot add service.namespace for Codex while it sets OTEL_RESOURCE_ATTRIBUTES; to tag repositories, export that line from your shell profile instead.');
  return { sections: [config, dotenv(request.user)], notes };
}
