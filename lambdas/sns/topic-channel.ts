import { PublishCommand } from '@aws-sdk/client-sns';
import type { SNSClient } from '@aws-sdk/client-sns';
import { AlertDeliveryError } from '../budgets/alerts/alert-channels.ts';
import type { AlertChannel } from '../budgets/alerts/alert-channels.ts';
import type { AlertMessage } from '../budgets/alerts/alert-message.ts';

/** SNS subjects are ASCII without line breaks and under 100 characters (the Publish API reference). */
export function snsSubject(subject: string): string {
  const ascii = subject.replace(/\s+/g, ' ').replace(/[^\x20-\x7e]/g, '').replace(/ {2,}/g, ' ').trim();
  return ascii.length <= 99 ? ascii : `${ascii.slice(0, 96)}...`;
}

/**
 * An SNS topic: the alerts topic every alert is published on (for email, a pager, a chat bridge), or the
 * alarm topic an undeliverable alert is raised on. The SDK retries throttling and 5xx itself; what is left
 * is a failure to record.
 */
export class SnsTopicChannel implements AlertChannel {
  readonly name: string;
  readonly #client: SNSClient;
  readonly #topicArn: string;

  constructor(client: SNSClient, topicArn: string, name = 'sns') {
    this.#client = client;
    this.#topicArn = topicArn;
    this.name = name;
  }

  async deliver(message: AlertMessage): Promise<void> {
    try {
      await this.#client.send(new PublishCommand({ TopicArn: this.#topicArn, Subject: snsSubject(message.subject), Message: message.text }));
    } catch (error) {
      throw new AlertDeliveryError(`SNS refused the message: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`, false);
    }
  }
}
