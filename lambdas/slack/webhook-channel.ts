import { AlertDeliveryError } from '../budgets/alerts/alert-channels.ts';
import type { AlertChannel } from '../budgets/alerts/alert-channels.ts';
import type { AlertMessage } from '../budgets/alerts/alert-message.ts';

export interface WebhookOptions {
  readonly attempts?: number;
  readonly timeoutMs?: number;
  /** All waiting between attempts stays under this, so an alert is settled within about two minutes. */
  readonly maxWaitMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Statuses retrying cannot fix (api.slack.com/messaging/webhooks, "Handling errors"): 400 invalid_payload,
 * 403 action_prohibited, 404 channel_not_found or a revoked hook, 410 channel_is_archived.
 */
const PERMANENT = new Set([400, 403, 404, 410]);

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Seconds of a `Retry-After` header (Slack sends seconds with its 429s); null when absent or unreadable. */
function retryAfterMs(header: string | null): number | null {
  if (header === null) return null;
  const seconds = Number(header.trim());
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : null;
}

/**
 * A Slack incoming webhook. A 429 is retried after its Retry-After, a 5xx, timeout or connection failure with
 * backoff (1, 2, 4, 8 s); a permanent refusal fails at once, naming Slack's error (the body, e.g.
 * `channel_is_archived`). The URL is a secret and appears in no message.
 */
export class SlackWebhookChannel implements AlertChannel {
  readonly name = 'slack';
  readonly #url: string;
  readonly #attempts: number;
  readonly #timeoutMs: number;
  readonly #maxWaitMs: number;
  readonly #sleep: (ms: number) => Promise<void>;

  constructor(url: string, options: WebhookOptions = {}) {
    this.#url = url;
    this.#attempts = options.attempts ?? 5;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#maxWaitMs = options.maxWaitMs ?? 60_000;
    this.#sleep = options.sleep ?? wait;
  }

  async deliver(message: AlertMessage): Promise<void> {
    let waited = 0;
    let last = '';
    for (let attempt = 1; attempt <= this.#attempts; attempt += 1) {
      let delayMs = 1000 * 2 ** (attempt - 1);
      try {
        const response = await fetch(this.#url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ text: message.text, blocks: message.blocks }),
          signal: AbortSignal.timeout(this.#timeoutMs),
        });
        const body = (await response.text()).trim().slice(0, 200);
        if (response.ok) return;
        last = `answered ${response.status}${body === '' ? '' : ` ${body}`}`;
        if (PERMANENT.has(response.status)) throw new AlertDeliveryError(`Slack ${last}`, true);
        if (response.status === 429) delayMs = retryAfterMs(response.headers.get('retry-after')) ?? delayMs;
      } catch (error) {
        if (error instanceof AlertDeliveryError) throw error;
        last = error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${this.#timeoutMs} ms` : `cannot reach Slack (${error instanceof Error ? error.message : String(error)})`;
      }
      if (attempt === this.#attempts || waited + delayMs > this.#maxWaitMs) break;
      waited += delayMs;
      await this.#sleep(delayMs);
    }
    throw new AlertDeliveryError(`Slack kept failing: ${last}`, false);
  }
}
