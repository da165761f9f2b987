import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AlertDeliveryError } from '../../lambdas/budgets/alerts/alert-channels.ts';
import { SlackWebhookChannel } from '../../lambdas/slack/webhook-channel.ts';
import { SLACK_HOOK_PATH, startFakeSlack } from '../support/fake-slack.ts';
import type { FakeSlack } from '../support/fake-slack.ts';

const MESSAGE = { subject: 'seatmeter: budget "payments" passed 70 %', text: 'fallback', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'x' } }] };

let slack: FakeSlack;
let sleeps: number[];
const channel = (options: { attempts?: number; maxWaitMs?: number } = {}) =>
  new SlackWebhookChannel(`${slack.url}${SLACK_HOOK_PATH}`, { ...options, sleep: async (ms) => void sleeps.push(ms) });

beforeAll(async () => {
  slack = await startFakeSlack();
});
afterAll(() => slack.close());
beforeEach(() => {
  sleeps = [];
});

describe('SlackWebhookChannel', () => {
  it('posts the text and blocks', async () => {
    await channel().deliver(MESSAGE);
    expect(slack.messages.at(-1)).toEqual({ text: 'fallback', blocks: MESSAGE.blocks });
  });

  it('waits out a 429 for its Retry-After, then delivers', async () => {
    const before = slack.messages.length;
    slack.failNext('webhook', { status: 429, headers: { 'retry-after': '7' } });
    await channel().deliver(MESSAGE);
    expect(sleeps).toEqual([7000]);
    expect(slack.messages.length).toBe(before + 1);
  });

  it('retries a 500 with backoff, and gives up saying so when it keeps failing', async () => {
    slack.failNext('webhook', ...Array.from({ length: 5 }, () => ({ status: 500 })));
    const failure = await channel().deliver(MESSAGE).catch((error: unknown) => error);
    expect(failure).toEqual(new AlertDeliveryError('Slack kept failing: answered 500 rollup_error', false));
    expect(sleeps).toEqual([1000, 2000, 4000, 8000]);
  });

  it('fails at once, naming Slack\'s error, for a revoked or archived webhook', async () => {
    for (const [status, body] of [[404, 'channel_not_found'], [410, 'channel_is_archived']] as const) {
      slack.failNext('webhook', { status });
      const failure = await channel().deliver(MESSAGE).catch((error: unknown) => error);
      expect(failure).toEqual(new AlertDeliveryError(`Slack answered ${status} ${body}`, true));
    }
    expect(sleeps).toEqual([]);
  });

  it('counts a dropped connection as a transient failure, and never waits longer than its budget', async () => {
    slack.failNext('webhook', { dropConnection: true }, { dropConnection: true });
    const failure = (await channel({ maxWaitMs: 2500 }).deliver(MESSAGE).catch((error: unknown) => error)) as AlertDeliveryError;
    expect(failure.message).toMatch(/^Slack kept failing: cannot reach Slack/);
    expect(failure.message).not.toContain(SLACK_HOOK_PATH);
    expect(sleeps).toEqual([1000]);
  });
});
