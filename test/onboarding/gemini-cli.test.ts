import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { clientConfig, clientConfigRequest } from '../../lambdas/onboarding/client-config.ts';
import type { RawClientConfigFlags } from '../../lambdas/onboarding/client-config.ts';

function gemini(flags: { token?: string; user?: string }) {
  return clientConfig(clientConfigRequest({ client: 'gemini', endpoint: 'http://127.0.0.1:4318', token: flags.token, user: flags.user, managed: false, hooks: 'none' }));
}

const scratch: string[] = [];
afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('Gemini CLI configuration', () => {
  it('is a telemetry block over OTLP/HTTP with prompt logging off, in valid JSON', () => {
    const section = gemini({}).sections[0];
    expect(section?.headings).toEqual(['~/.gemini/settings.json']);
    expect(JSON.parse(section?.content ?? '')).toEqual({
      telemetry: { enabled: true, target: 'local', otlpEndpoint: 'http://127.0.0.1:4318', otlpProtocol: 'http', logPrompts: false },
    });
  });

  it('needs no shell function without a token or user, and says usage may be unattributed', () => {
    const config = gemini({});
    expect(config.sections).toHaveLength(1);
    expect(config.notes.join('\n')).toContain('Without --user');
  });

  it('passes identity and token through a shell function that bash runs as written', () => {
    const launcher = gemini({ token: `it's$x\`y`, user: 'dev@example.com' }).sections[1];
    expect(launcher?.headings).toEqual(['~/.bashrc or ~/.zshrc']);
    expect(launcher?.content).toContain('reference notes list no header setting');
    const dir = mkdtempSync(join(tmpdir(), 'seatmeter-gemini-'));
    scratch.push(dir);
    writeFileSync(join(dir, 'gemini'), '#!/bin/sh\nprintf "%s\\n" "$OTEL_RESOURCE_ATTRIBUTES" "$OTEL_EXPORTER_OTLP_HEADERS" "$*"\n');
    chmodSync(join(dir, 'gemini'), 0o755);
    writeFileSync(join(dir, 'profile.sh'), launcher?.content ?? '');
    const output = execFileSync('bash', ['-c', `. "${dir}/profile.sh"; gemini -p 'say hi'`], {
      encoding: 'utf8',
      env: { PATH: `${dir}:${process.env['PATH'] ?? ''}` },
    });
    expect(output.split('\n')).toEqual(['user.email=dev@example.com', "Authorization=Bearer%20it's$x`y", '-p say hi', '']);
  });
});

describe('Gemini CLI over OTLP/gRPC (--protocol grpc)', () => {
  const flags: RawClientConfigFlags = { client: 'gemini', endpoint: 'http://127.0.0.1:4318', token: undefined, user: undefined, managed: false, protocol: 'grpc' };

  it('sends telemetry to the gRPC port on the endpoint\'s host, and keeps the budget hook on the HTTP endpoint', () => {
    const settings = JSON.parse(clientConfig(clientConfigRequest(flags)).sections[0]?.content ?? '') as {
      telemetry: Record<string, unknown>;
      hooks: Record<string, { hooks?: { command: string }[] }[]>;
    };
    expect([settings.telemetry['otlpEndpoint'], settings.telemetry['otlpProtocol']]).toEqual(['http://127.0.0.1:4317', 'grpc']);
    expect(settings.hooks['BeforeTool']?.[0]?.hooks?.[0]?.command).toContain("--endpoint 'http://127.0.0.1:4318'");
    const elsewhere = JSON.parse(clientConfig(clientConfigRequest({ ...flags, grpcPort: '14317' })).sections[0]?.content ?? '') as { telemetry: Record<string, unknown> };
    expect(elsewhere.telemetry['otlpEndpoint']).toBe('http://127.0.0.1:14317');
  });

  it.each([
    [{ endpoint: 'https://abc123.execute-api.eu-west-1.amazonaws.com' }, 'the AWS receiver behind API Gateway takes OTLP/HTTP alone'],
    [{ client: 'codex' }, '--protocol grpc applies to gemini only'],
    [{ protocol: 'http2' }, '--protocol must be http or grpc, got "http2"'],
    [{ grpcPort: '0' }, '--grpc-port "0" is not a port number'],
    [{ grpcPort: '4317x' }, '--grpc-port "4317x" is not a port number'],
    [{ protocol: 'http', grpcPort: '4317' }, '--grpc-port goes with --protocol grpc'],
  ])('refuses %j', (change, message) => {
    expect(() => clientConfigRequest({ ...flags, ...change })).toThrow(message);
  });
});
