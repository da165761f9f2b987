import type { AlertMessage } from './alert-message.ts';

/** Where an alert goes: a Slack incoming webhook, an SNS topic. */
export interface AlertChannel {
  /** For status and logs; never the webhook URL, which is a secret. */
  readonly name: string;
  deliver(message: AlertMessage): Promise<void>;
}

/** A channel refused or kept failing; `permanent` when retrying cannot help (a revoked or archived webhook). */
export class AlertDeliveryError extends Error {
  override readonly name = 'AlertDeliveryError';
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}
