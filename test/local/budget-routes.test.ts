import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer } from '../../lambdas/local/server.ts';
import type { LocalServer } from '../../lambdas/local/server.ts';
import { replayAllCaptures } from '../support/http-replay.ts';

/** Noon of the captures' day: the period every budget here is measured in. */
const NOW = Date.parse('2026-11-22T12:00:00Z');
/** What dev@example.com's captured usage costs that day at list prices: the day's $0.0917 less Codex's, which names no user. */
const DEV_DAY_USD = 0.08217535;

let server: LocalServer;
let dataDir: string;
const logLines: string[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'seatmeter-budgets-'));
  writeFileSync(join(dataDir, 'teams.json'), JSON.stringify({ users: { 'Dev@Example.com': 'payments' } }));
  server = await startLocalServer({ host: '127.0.0.1', port: 0, dataDir, now: () => NOW, log: (line) => logLines.push(line) });
  await replayAllCaptures(server.url);
});
afterAll(() => server.close());

const put = (body: unknown) => fetch(`${server.url}/api/budgets`, { method: 'PUT', body: JSON.stringify(body) }).then(async (r) => [r.status, await r.json()]);
const decision = (body: unknown) => fetch(`${server.url}/v1/budget/decision`, { method: 'POST', body: JSON.stringify(body) }).then(async (r) => [r.status, await r.json()]);
const hook = (input: unknown, headers: Record<string, string> = { 'seatmeter-user-email': 'dev@example.com' }) =>
  fetch(`${server.url}/v1/hooks/claude-code`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(input) }).then(async (r) => [r.status, await r.json()]);
const hookInput = (event: string, extra: Record<string, unknown> = {}) => ({ session_id: 's1', cwd: '/work/checkout', hook_event_name: event, ...extra });

describe('budgets on the local server', () => {
  it('allows under the limit and denies at it, in the decision API and in Claude Code\'s http hook format', async () => {
    expect(await put({ name: 'payments', scope: 'team:payments', period: 'day', limit_usd: 1, owner: 'platform@example.com' })).toEqual([200, { set: ['payments'] }]);
    expect(await decision({ user_email: 'dev@example.com', tool: 'claude_code' })).toEqual([
      200,
      { decision: 'allow', budgets: [{ name: 'payments', scope: 'team:payments', period: '2026-11-22', unit: 'usd', used: expect.closeTo(DEV_DAY_USD, 9), limit: 1, hard: true, exhausted: false }] },
    ]);
    expect(await hook(hookInput('PreToolUse', { tool_name: 'Bash', tool_input: { command: 'ls' } }))).toEqual([200, {}]);

    expect(await put({ budgets: [{ name: 'payments', scope: 'team:payments', period: 'day', limit_usd: 0.05, owner: 'platform@example.com' }] })).toEqual([200, { set: ['payments'] }]);
    const reason =
      'seatmeter: budget "payments" (team:payments) is exhausted for 2026-11-22: $0.08 of $0.05 at list prices. It resets 2026-11-23T00:00:00.000Z; platform@example.com can raise it or grant an exemption.';
    expect(await decision({ user_email: 'dev@example.com' })).toEqual([200, expect.objectContaining({ decision: 'deny', reason, budget: 'payments' })]);
    expect(await hook(hookInput('PreToolUse', { tool_name: 'Bash' }))).toEqual([200, { hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: reason } }]);
    expect(await hook(hookInput('UserPromptSubmit', { prompt: 'a secret prompt' }))).toEqual([200, { decision: 'block', reason }]);
    expect(await hook(hookInput('SessionStart', { source: 'startup' }))).toEqual([200, {}]);
    // Someone in another team is not capped by this budget.
    expect(await decision({ user_email: 'ana@example.com' })).toEqual([200, { decision: 'allow', budgets: [] }]);
    expect(logLines.some((line) => line.includes('a secret prompt'))).toBe(false);
  });

  it('stamps each record with its user\'s team as it arrives, so reports group by team', async () => {
    const rows = (await fetch(`${server.url}/api/report?from=2026-11-22&to=2026-11-23&by=team`).then((r) => r.json())) as { team: string | null; estimated_cost_usd: number }[];
    // Codex's usage names no user: nobody's team, never "unassigned".
    expect(rows.map((row) => [row.team, row.estimated_cost_usd])).toEqual(expect.arrayContaining([['payments', expect.closeTo(DEV_DAY_USD, 9)], [null, expect.any(Number)]]));
    expect(rows).toHaveLength(2);
  });

  it('lists each budget with where it stands', async () => {
    await put({ name: 'org-soft', scope: 'org', period: 'day', limit_usd: 0.1, soft: [0.5], hard: false });
    const status = (await fetch(`${server.url}/api/budgets`).then((r) => r.json())) as Record<string, unknown>[];
    expect(status.map((entry) => [entry.name, entry.period_key, entry.state])).toEqual([
      ['org-soft', '2026-11-22', 'warning'],
      ['payments', '2026-11-22', 'capped'],
    ]);
  });

  it('refuses what it cannot use, saying why', async () => {
    expect(await put({ name: 'x', scope: 'org' })).toEqual([400, { error: 'budget "x" needs exactly one of limit_usd and limit_tokens' }]);
    expect(await put('not an object')).toEqual([400, { error: 'budget must be an object' }]);
    expect(await decision({ tool: 'claude_code' })).toEqual([403, { error: 'no user: send user_email (or the seatmeter-user-email header), or use a credential bound to a user' }]);
    expect(await hook(hookInput('PreToolUse'), {})).toEqual([403, expect.objectContaining({ error: expect.stringContaining('no user') })]);
    expect(await hook({ session_id: 's1' })).toEqual([400, { error: 'expected a Claude Code hook input with hook_event_name' }]);
    expect(await fetch(`${server.url}/v1/budget/decision`, { method: 'POST', body: '{' }).then((r) => r.status)).toBe(400);
    expect(await fetch(`${server.url}/api/budgets`, { method: 'DELETE' }).then((r) => r.status)).toBe(405);
    const grant = (body: unknown) => fetch(`${server.url}/api/budgets/grants`, { method: 'POST', body: JSON.stringify(body) }).then(async (r) => [r.status, await r.json()]);
    const good = { target: 'org', until_ms: NOW + 3_600_000, granted_by: 'oncall@example.com', reason: 'incident 42' };
    expect(await grant({ ...good, reason: ' ' })).toEqual([400, { error: 'reason must say why (an incident, a ticket)' }]);
    expect(await grant({ ...good, granted_by: undefined })).toEqual([400, { error: 'granted_by must say who grants it' }]);
    expect(await grant({ ...good, until_ms: NOW })).toEqual([400, { error: 'until_ms must be a time in the future (epoch milliseconds)' }]);
    expect(await grant({ ...good, extra_usd: -1 })).toEqual([400, { error: 'extra_usd must be a number above 0, or absent to lift the limit' }]);
    expect(await grant({ ...good, target: '' })).toEqual([400, { error: 'target must name a budget or a scope' }]);
    expect(await grant([good])).toEqual([400, { error: 'the body must be a JSON object with target, until_ms, granted_by and reason' }]);
    expect(await fetch(`${server.url}/api/budgets/grants`).then((r) => r.json())).toEqual([]);
  });
});
