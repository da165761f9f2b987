import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer } from '../../lambdas/local/server.ts';
import type { LocalServer } from '../../lambdas/local/server.ts';
import type { ReportRow } from '../../lambdas/report/report-types.ts';
import { CAPTURES, loadCapture } from '../support/captures.ts';
import { SLACK_HOOK_PATH, headerOf, startFakeSlack } from '../support/fake-slack.ts';
import type { FakeSlack } from '../support/fake-slack.ts';
import { postCapture, replayAllCaptures } from '../support/http-replay.ts';

/** Noon of the captures' day, the server's clock: dev@example.com has spent $0.0822 that day. */
const NOW = Date.parse('2026-11-22T12:00:00Z');

let slack: FakeSlack;
let server: LocalServer;
const logLines: string[] = [];

beforeAll(async () => {
  slack = await startFakeSlack();
  const dataDir = mkdtempSync(join(tmpdir(), 'seatmeter-alerts-'));
  writeFileSync(join(dataDir, 'teams.json'), JSON.stringify({ users: { 'dev@example.com': 'payments' } }));
  server = await startLocalServer({ host: '127.0.0.1', port: 0, dataDir, now: () => NOW, alertEveryMs: 0, slackWebhookUrl: `${slack.url}${SLACK_HOOK_PATH}`, log: (line) => logLines.push(line) });
  const budgets = [
    { name: 'payments', scope: 'team:payments', period: 'day', limit_usd: 0.1, soft: [0.5, 0.7], owner: 'platform@example.com' },
    { name: 'dev', scope: 'user:dev@example.com', period: 'day', limit_usd: 0.05 },
  ];
  await fetch(`${server.url}/api/budgets`, { method: 'PUT', body: JSON.stringify({ budgets }) });
});
afterAll(async () => {
  await server.close();
  await slack.close();
});

const headers = () => slack.messages.map(headerOf);
const status = async () => (await fetch(`${server.url}/api/budgets`).then((r) => r.json())) as Record<string, unknown>[];

describe('budget alerts on the local server', () => {
  it('sends each threshold once, to Slack, with the breakdown, however often exports are replayed and budgets evaluated', async () => {
    expect(await server.evaluateAlerts()).toEqual({ delivered: [], failed: [] });
    await replayAllCaptures(server.url);
    const first = await server.evaluateAlerts();
    expect(first.delivered.sort()).toEqual(['dev|2026-11-22|threshold:0.7', 'dev|2026-11-22|threshold:1', 'payments|2026-11-22|threshold:0.5', 'payments|2026-11-22|threshold:0.7']);

    // The same exports again, then in reverse order: duplicates, so nothing new to count or to say.
    await replayAllCaptures(server.url);
    for (const [id] of [...CAPTURES].reverse()) await postCapture(server.url, loadCapture(id));
    expect(await server.evaluateAlerts()).toEqual({ delivered: [], failed: [] });
    expect(await server.evaluateAlerts()).toEqual({ delivered: [], failed: [] });
    expect(headers().sort()).toEqual([
      'Budget "dev" is exhausted: its agents are capped (164 %)',
      'Budget "dev" passed 70 % (164 % used)',
      'Budget "payments" passed 50 % (82 % used)',
      'Budget "payments" passed 70 % (82 % used)',
    ]);

    const message = slack.messages.find((entry) => entry.text.includes('"payments" passed 70 %'));
    const text = JSON.stringify(message?.blocks);
    for (const expected of ['*Scope*\\nteam:payments', '*Spend / limit*\\n$0.08 / $0.10', '*Used*\\n82.2 %', '1. dev@example.com: $0.08', '<' + `${server.url}/` + '|Open the board>', 'owner platform@example.com']) {
      expect(text).toContain(expected);
    }
    // Spend stays what the report says, to the cent, after all the replays.
    const report = (await fetch(`${server.url}/api/report?from=2026-11-22&to=2026-11-23&by=user`).then((r) => r.json())) as ReportRow[];
    const dev = report.find((row) => row.user_email === 'dev@example.com');
    expect((await status()).find((entry) => entry.name === 'dev')?.used).toBeCloseTo(dev?.estimated_cost_usd ?? Number.NaN, 9);
  });

  it('retries a 429 from Slack and delivers once', async () => {
    slack.failNext('webhook', { status: 429, headers: { 'retry-after': '0' } });
    await fetch(`${server.url}/api/budgets`, { method: 'PUT', body: JSON.stringify({ name: 'org', scope: 'org', period: 'day', limit_usd: 0.05, soft: [0.9], hard: false }) });
    const before = slack.messages.length;
    expect((await server.evaluateAlerts()).delivered.sort()).toEqual(['org|2026-11-22|threshold:0.9', 'org|2026-11-22|threshold:1']);
    expect(slack.messages.length).toBe(before + 2);
    expect(slack.calls.webhook).toBeGreaterThanOrEqual(before + 3);
  });

  it('records an alert Slack refuses, raises it in the log and shows it in the status, and does not resend it', async () => {
    await fetch(`${server.url}/api/budgets`, { method: 'PUT', body: JSON.stringify({ name: 'revoked', scope: 'org', period: 'day', limit_usd: 1000, soft: [0.00001], slack_webhook_url: `${slack.url}/services/T000/B000/REVOKED` }) });
    expect(await server.evaluateAlerts()).toEqual({ delivered: [], failed: ['revoked|2026-11-22|threshold:0.00001'] });
    const entry = (await status()).find((budget) => budget.name === 'revoked');
    expect(entry?.last_alert).toEqual(expect.objectContaining({ state: 'failed', failure: 'slack: Slack answered 404 channel_not_found' }));
    expect(logLines.some((line) => line.startsWith('alert seatmeter could not deliver the alert') && line.includes('404 channel_not_found'))).toBe(true);
    expect(logLines.some((line) => line.includes('REVOKED'))).toBe(false);
    expect(await server.evaluateAlerts()).toEqual({ delivered: [], failed: [] });
  });
});
