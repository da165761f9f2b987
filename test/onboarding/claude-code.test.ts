import { describe, expect, it } from 'vitest';
import { clientConfig, clientConfigRequest, renderSections } from '../../lambdas/onboarding/client-config.ts';

function claude(flags: { token?: string; user?: string; managed?: boolean }) {
  return clientConfig(
    clientConfigRequest({ client: 'claude-code', endpoint: 'http://127.0.0.1:4318/', token: flags.token, user: flags.user, managed: flags.managed ?? false, hooks: 'none' }),
  );
}

describe('Claude Code configuration', () => {
  it('is an env block for the user settings file, in valid JSON', () => {
    const [section, ...others] = claude({ token: 'sm_abc=', user: 'dev@example.com' }).sections;
    expect(others).toEqual([]);
    expect(section?.headings).toEqual(['~/.claude/settings.json']);
    expect(JSON.parse(section?.content ?? '')).toEqual({
      env: {
        CLAUDE_CODE_ENABLE_TELEMETRY: '1',
        OTEL_METRICS_EXPORTER: 'otlp',
        OTEL_LOGS_EXPORTER: 'otlp',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
        OTEL_EXPORTER_OTLP_HEADERS: 'Authorization=Bearer%20sm_abc%3D',
        OTEL_RESOURCE_ATTRIBUTES: 'user.email=dev@example.com',
      },
    });
  });

  it('leaves headers and identity out when not given, and never turns on prompt logging', () => {
    const env = JSON.parse(claude({}).sections[0]?.content ?? '').env;
    expect(Object.keys(env)).toEqual([
      'CLAUDE_CODE_ENABLE_TELEMETRY',
      'OTEL_METRICS_EXPORTER',
      'OTEL_LOGS_EXPORTER',
      'OTEL_EXPORTER_OTLP_PROTOCOL',
      'OTEL_EXPORTER_OTLP_ENDPOINT',
    ]);
  });

  it('with --managed, names the managed-settings file of each OS', () => {
    const config = claude({ managed: true });
    expect(config.sections[0]?.headings).toEqual([
      '/etc/claude-code/managed-settings.json (Linux, WSL)',
      '/Library/Application Support/ClaudeCode/managed-settings.json (macOS)',
      'C:\\Program Files\\ClaudeCode\\managed-settings.json (Windows)',
    ]);
    expect(config.notes.join('\n')).toContain('C:\\ProgramData\\ClaudeCode');
  });

  it('warns that usage may be unattributed without --user', () => {
    expect(claude({}).notes.join('\n')).toContain('Without --user');
  });

  it('renders the path as a heading line, then the content', () => {
    expect(renderSections(claude({})).split('\n').slice(0, 3)).toEqual(['==> ~/.claude/settings.json', '{', '  "env": {']);
  });
});
