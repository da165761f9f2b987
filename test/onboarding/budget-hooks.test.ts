import { describe, expect, it } from 'vitest';
import { clientConfig, clientConfigRequest } from '../../lambdas/onboarding/client-config.ts';
import type { ClientConfig } from '../../lambdas/onboarding/types.ts';
import { parseTomlSubset } from './toml-subset.ts';

const ENDPOINT = 'https://meter.example.com/prod';

function config(client: string, flags: { hooks?: string; fail?: string; managed?: boolean; token?: string; user?: string; hookPath?: string } = {}): ClientConfig {
  return clientConfig(clientConfigRequest({ client, endpoint: ENDPOINT, token: flags.token ?? 'tok', user: flags.user ?? 'dev@example.com', managed: flags.managed ?? false, ...flags }));
}

const section = (result: ClientConfig, heading: string) => {
  const found = result.sections.find((entry) => entry.headings[0] === heading);
  if (found === undefined) throw new Error(`no section ${heading}: ${result.sections.map((entry) => entry.headings[0]).join(', ')}`);
  return found.content;
};

const COMMAND = `SEATMETER_TOKEN='tok' SEATMETER_USER_EMAIL='dev@example.com' node "$HOME/.seatmeter/seatmeter-hook.cjs"`;

describe('the budget hook in client-config', () => {
  it('wires Claude Code\'s PreToolUse (every tool) and UserPromptSubmit to the bundled command, with a timeout above the hook\'s own', () => {
    const settings = JSON.parse(section(config('claude-code'), '~/.claude/settings.json'));
    const handler = { type: 'command', command: `${COMMAND} claude-code --endpoint '${ENDPOINT}' --fail open`, timeout: 10 };
    expect(settings.hooks).toEqual({ PreToolUse: [{ matcher: '*', hooks: [handler] }], UserPromptSubmit: [{ hooks: [handler] }] });
    expect(settings).not.toHaveProperty('allowManagedHooksOnly');
  });

  it('sets Claude Code\'s managed-hooks-only switch in managed settings, with the machine-wide hook path', () => {
    const result = config('claude-code', { managed: true, fail: 'closed' });
    const settings = JSON.parse(result.sections[0]?.content ?? '');
    expect(settings.allowManagedHooksOnly).toBe(true);
    expect(settings.hooks.PreToolUse[0].hooks[0].command).toBe(`SEATMETER_TOKEN='tok' SEATMETER_USER_EMAIL='dev@example.com' node '/opt/seatmeter/seatmeter-hook.cjs' claude-code --endpoint '${ENDPOINT}' --fail closed`);
    expect(result.notes).toContain('The hook fails closed: while seatmeter cannot be reached, every tool call and prompt is refused.');
  });

  it('points Claude Code\'s http hook at the receiver\'s hook route with the token and user as headers, and says what it cannot do', () => {
    const result = config('claude-code', { hooks: 'http' });
    const settings = JSON.parse(result.sections[0]?.content ?? '');
    const handler = { type: 'http', url: `${ENDPOINT}/v1/hooks/claude-code`, headers: { Authorization: 'Bearer tok', 'seatmeter-user-email': 'dev@example.com' }, timeout: 10 };
    expect(settings.hooks).toEqual({ PreToolUse: [{ matcher: '*', hooks: [handler] }], UserPromptSubmit: [{ hooks: [handler] }] });
    expect(result.notes.join('\n')).toContain('it cannot fail closed');
  });

  it('adds [[hooks.*]] tables to Codex\'s config.toml, or to requirements.toml with allow_managed_hooks_only when managed', () => {
    const handler = { type: 'command', command: `${COMMAND} codex --endpoint '${ENDPOINT}' --fail open`, timeout: 10 };
    const user = parseTomlSubset(section(config('codex'), '~/.codex/config.toml'));
    expect(user['hooks.PreToolUse[0]']).toEqual({});
    expect([user['hooks.PreToolUse.hooks[0]'], user['hooks.UserPromptSubmit.hooks[0]']]).toEqual([handler, handler]);
    expect(user.otel).toBeDefined();

    const managed = config('codex', { managed: true, hookPath: '/usr/local/lib/seatmeter hook.cjs' });
    expect(section(managed, '/etc/codex/managed_config.toml')).not.toContain('[[hooks');
    const requirements = parseTomlSubset(section(managed, '/etc/codex/requirements.toml'));
    expect(requirements['']).toEqual({ allow_managed_hooks_only: true });
    expect(requirements['hooks.PreToolUse.hooks[0]']?.command).toBe(`SEATMETER_TOKEN='tok' SEATMETER_USER_EMAIL='dev@example.com' node '/usr/local/lib/seatmeter hook.cjs' codex --endpoint '${ENDPOINT}' --fail open`);
  });

  it('wires Gemini CLI\'s BeforeTool (every tool) and BeforeAgent, its timeout in milliseconds', () => {
    const settings = JSON.parse(section(config('gemini'), '~/.gemini/settings.json'));
    const handler = { type: 'command', name: 'seatmeter-budget', command: `${COMMAND} gemini --endpoint '${ENDPOINT}' --fail open`, timeout: 10_000 };
    expect(settings.hooks).toEqual({ BeforeTool: [{ matcher: '.*', hooks: [handler] }], BeforeAgent: [{ hooks: [handler] }] });
    expect(settings.telemetry.enabled).toBe(true);
  });

  it('leaves the hook out with --hooks none, and carries no token or user it was not given', () => {
    expect(JSON.parse(config('gemini', { hooks: 'none' }).sections[0]?.content ?? '')).not.toHaveProperty('hooks');
    const bare = clientConfig(clientConfigRequest({ client: 'claude-code', endpoint: ENDPOINT, token: undefined, user: undefined, managed: false }));
    expect(JSON.parse(bare.sections[0]?.content ?? '').hooks.PreToolUse[0].hooks[0].command).toBe(`node "$HOME/.seatmeter/seatmeter-hook.cjs" claude-code --endpoint '${ENDPOINT}' --fail open`);
  });
});
