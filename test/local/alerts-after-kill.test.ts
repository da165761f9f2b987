import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportRow } from '../../lambdas/report/report-types.ts';
import { SLACK_HOOK_PATH, headerOf, startFakeSlack } from '../support/fake-slack.ts';
import type { FakeSlack } from '../support/fake-slack.ts';
import { exited, spawnServer } from '../support/local-server-process.ts';

/** A Claude Code delta export of `tokens` input tokens for its own session, stamped now (the server's real clock). */
function exportNow(session: string, tokens: number, atMs: number): string {
  const attributes = [
    { key: 'user.email', value: { stringValue: 'kill@example.com' } },
    { key: 'session.id', value: { stringValue: session } },
    { key: 'model', value: { stringValue: 'claude-opus-4-8' } },
    { key: 'type', value: { stringValue: 'input' } },
  ];
  const point = { timeUnixNano: String(BigInt(atMs) * 1_000_000n), asDouble: tokens, attributes };
  return JSON.stringify({
    resourceMetrics: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'claude-code' } }] }, scopeMetrics: [{ metrics: [{ name: 'claude_code.token.usage', sum: { aggregationTemporality: 1, isMonotonic: true, dataPoints: [point] } }] }] }],
  });
}

const post = (url: string, body: string) => fetch(`${url}/v1/metrics`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then((r) => r.status);

async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

let slack: FakeSlack;
beforeAll(async () => {
  slack = await startFakeSlack();
});
afterAll(() => slack.close());

describe('budget alerts across a SIGKILL of seatmeter serve', { timeout: 60_000 }, () => {
  it('alerts each threshold once, and spend stays what the report says', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'seatmeter-alerts-kill-'));
    const args = ['--alert-every-s', '0.2', '--slack-webhook-url', `${slack.url}${SLACK_HOOK_PATH}`];
    const first = await spawnServer(dataDir, args);
    const atMs = Date.now();
    const month = new Date(atMs).toISOString().slice(0, 7);
    const exports = [exportNow('a', 40_000, atMs), exportNow('b', 40_000, atMs + 1), exportNow('c', 40_000, atMs + 2)];
    expect(await post(first.url, exports[0] ?? '')).toBe(200);
    const [one] = (await fetch(`${first.url}/api/report?from=${month}-01&to=${atMs + 60_000}&by=tool`).then((r) => r.json())) as ReportRow[];
    // A month budget (the test cannot straddle its period unless run across a month's last second) that one
    // export fills to two thirds and two exports overrun.
    const limit = (one?.estimated_cost_usd ?? 0) * 1.5;
    expect(limit).toBeGreaterThan(0);
    await fetch(`${first.url}/api/budgets`, { method: 'PUT', body: JSON.stringify({ name: 'org', scope: 'org', period: 'month', limit_usd: limit, soft: [0.5] }) });
    await until(() => slack.messages.length === 1, 10_000);
    expect(await post(first.url, exports[1] ?? '')).toBe(200);
    await until(() => slack.messages.length === 2, 10_000);
    // Killed once the second alert is settled: a kill between Slack's 200 and the settle is the one case that
    // sends an alert again (the claim looks unsent to the next server), a duplicate rather than a loss.
    await until(async () => {
      const [status] = (await fetch(`${first.url}/api/budgets`).then((r) => r.json())) as { last_alert: { kind: string; state: string; subject: string } | null }[];
      return status?.last_alert?.state === 'delivered' && status.last_alert.subject.includes('exhausted');
    }, 10_000);
    first.child.kill('SIGKILL');
    await exited(first.child);

    const second = await spawnServer(dataDir, args);
    try {
      // The client retries what it never saw acknowledged, out of order, and goes on.
      for (const body of [exports[1], exports[0], exports[2], exports[0]]) expect(await post(second.url, body ?? '')).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(slack.messages.map((message) => message.text.replace(/:.*/, ''))).toEqual(['seatmeter', 'seatmeter']);
      expect(slack.messages.map((message) => headerOf(message).replace(/ \(.*/, ''))).toEqual(['Budget "org" passed 50 %', 'Budget "org" is exhausted: its agents are capped']);
      const [status] = (await fetch(`${second.url}/api/budgets`).then((r) => r.json())) as { used: number; last_alert: { state: string } }[];
      const from = `${month}-01`;
      const [total] = (await fetch(`${second.url}/api/report?from=${from}&to=${atMs + 60_000}&by=tool`).then((r) => r.json())) as ReportRow[];
      expect(total?.input_tokens).toBe(120_000);
      expect(status?.used).toBeCloseTo(total?.estimated_cost_usd ?? Number.NaN, 9);
      expect(status?.last_alert.state).toBe('delivered');
    } finally {
      second.child.kill('SIGTERM');
      await exited(second.child);
    }
  });
});
