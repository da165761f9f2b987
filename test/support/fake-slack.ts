import { startFakePartner } from './fake-partner-server.ts';
import type { RunningFake } from './fake-partner-server.ts';

/**
 * A fake Slack incoming webhook as documented (api.slack.com/messaging/webhooks): `POST /services/T…/B…/…` with a
 * JSON `{text, blocks}` body answers 200 `ok`; an empty or invalid body 400 `invalid_payload`; errors are plain
 * text bodies (`channel_is_archived`, `rate_limited`…). Every accepted message is kept for the test to read.
 *
 *   const slack = await startFakeSlack();  slack.failNext('webhook', { status: 429, headers: { 'retry-after': '1' } });
 *   … `${slack.url}${SLACK_HOOK_PATH}` as the webhook URL; slack.messages …
 */
export const SLACK_HOOK_PATH = '/services/T000/B000/XXXX';

export interface SlackMessage {
  readonly text: string;
  readonly blocks: readonly { readonly type: string; readonly [key: string]: unknown }[];
}

/** The text of a message's header block: what seatmeter's alert says happened. */
export function headerOf(message: SlackMessage): string {
  const header = message.blocks.find((block) => block.type === 'header') as { text?: { text?: unknown } } | undefined;
  return typeof header?.text?.text === 'string' ? header.text.text : '';
}

export interface FakeSlack extends RunningFake<'webhook'> {
  readonly messages: readonly SlackMessage[];
}

const ERROR_BODIES: Readonly<Record<number, string>> = {
  400: 'invalid_payload',
  403: 'action_prohibited',
  404: 'channel_not_found',
  410: 'channel_is_archived',
  429: 'rate_limited',
  500: 'rollup_error',
};

export async function startFakeSlack(): Promise<FakeSlack> {
  const messages: SlackMessage[] = [];
  const fake = await startFakePartner<'webhook'>({
    routes: ['webhook'],
    routeOf: (request) => (request.method === 'POST' && request.url.pathname === SLACK_HOOK_PATH ? 'webhook' : null),
    answer: (_route, request) => {
      try {
        const message = JSON.parse(request.body) as SlackMessage;
        if (typeof message.text !== 'string' || !Array.isArray(message.blocks)) return { status: 400, body: 'invalid_payload' };
        messages.push(message);
        return { status: 200, body: 'ok' };
      } catch {
        return { status: 400, body: 'invalid_payload' };
      }
    },
    errorBody: (status) => ERROR_BODIES[status] ?? 'error',
    commonHeaders: () => ({ 'content-type': 'text/plain' }),
  });
  return Object.assign(fake, { messages });
}
