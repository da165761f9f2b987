import { describe, expect, it } from 'vitest';
import { clientConfig, clientConfigRequest } from '../../lambdas/onboarding/client-config.ts';
import { parseTomlSubset } from './toml-subset.ts';

function codex(flags: { token?: string; user?: string; managed?: boolean }) {
  return clientConfig(
    clientConfigRequest({ client: 'codex', endpoint: 'https://meter.example.com/prod/', token: flags.token, user: flags.user, managed: flags.managed ?? false, hooks: 'none' }),
  );
}

describe('Codex configuration', () => {
  it('is an [otel] table with a full per-signal URL for logs and metrics, and no traces', () => {
    const config = codex({ token: 'sm_"quoted\\slash' });
    expect(config.sections[0]?.headings).toEqual(['~/.codex/config.toml']);
    const headers = { Authorization: 'Bearer sm_"quoted\\slash' };
    expect(parseTomlSubset(config.sections[0]?.content ?? '')).toEqual({
      otel: {
        log_user_prompt: false,
        exporter: { 'otlp-http': { endpoint: 'https://meter.example.com/prod/v1/logs', protocol: 'binary', headers } },
        metrics_exporter: { 'otlp-http': { endpoint: 'https://meter.example.com/prod/v1/metrics', protocol: 'binary', headers } },
        trace_exporter: 'none',
      },
    });
  });

  it('sends no headers without a token', () => {
    const otel = parseTomlSubset(codex({}).sections[0]?.content ?? '')['otel'];
    expect(otel?.['exporter']).toEqual({ 'otlp-http': { endpoint: 'https://meter.example.com/prod/v1/logs', protocol: 'binary' } });
  });

  it('carries the user in ~/.codex/.env, saying what is known of Codex reading it', () => {
    const dotenv = codex({ user: 'dev@example.com' }).sections[1];
    expect(dotenv?.headings).toEqual(['~/.codex/.env']);
    const lines = dotenv?.content.split('\n') ?? [];
    expect(lines.filter((line) => !line.startsWith('#'))).toEqual(['OTEL_RESOURCE_ATTRIBUTES=user.email=dev@example.com']);
    expect(lines.join('\n')).toContain('not verified in source');
  });

  it('without --user, writes no .env and says Codex usage will be unattributed', () => {
    const config = codex({});
    expect(config.sections).toHaveLength(1);
    expect(config.notes.join('\n')).toContain('Without --user, Codex usage is unattributed');
    expect(config.notes.join('\n')).toContain('bind the token to a user');
  });

  it('with --managed, writes the managed config file', () => {
    expect(codex({ managed: true }).sections[0]?.headings).toEqual(['/etc/codex/managed_config.toml']);
  });
});
