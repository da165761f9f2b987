import { GetSecretValueCommand, ResourceNotFoundException } from '@aws-sdk/client-secrets-manager';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

export class SlackWebhookSecretError extends Error {
  override readonly name = 'SlackWebhookSecretError';
}

const REFRESH_MS = 5 * 60_000;

/** The URL from the secret's value: the URL itself, or `{"webhook_url": "…"}`. */
export function webhookUrlOf(value: string): string {
  const text = value.trim();
  let url = text;
  if (text.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new SlackWebhookSecretError('the Slack webhook secret is neither a URL nor JSON');
    }
    const field = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>).webhook_url : undefined;
    if (typeof field !== 'string') throw new SlackWebhookSecretError('the Slack webhook secret\'s JSON needs "webhook_url"');
    url = field.trim();
  }
  if (!URL.canParse(url) || !['https:', 'http:'].includes(new URL(url).protocol)) throw new SlackWebhookSecretError('the Slack webhook secret must hold an incoming-webhook URL (https://hooks.slack.com/services/…)');
  return url;
}

/**
 * The deployment's default Slack webhook, read from Secrets Manager at most every 5 minutes. A secret the
 * operator has not filled yet (created empty: ResourceNotFoundException) is no default: alerts go to SNS and
 * to budgets' own webhooks only. The URL is a credential: it is never logged.
 */
export class SlackWebhookSecret {
  readonly #client: SecretsManagerClient;
  readonly #secretId: string;
  readonly #now: () => number;
  #cached: { readonly url: string | null; readonly readAtMs: number } | null = null;

  constructor(client: SecretsManagerClient, secretId: string, now: () => number = Date.now) {
    this.#client = client;
    this.#secretId = secretId;
    this.#now = now;
  }

  async url(): Promise<string | null> {
    const now = this.#now();
    if (this.#cached !== null && now - this.#cached.readAtMs < REFRESH_MS) return this.#cached.url;
    let url: string | null;
    try {
      const value = (await this.#client.send(new GetSecretValueCommand({ SecretId: this.#secretId }))).SecretString;
      url = value === undefined || value.trim() === '' ? null : webhookUrlOf(value);
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
      url = null;
    }
    this.#cached = { url, readAtMs: now };
    return url;
  }
}
