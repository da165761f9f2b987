import type { AlertKind } from './alert-rules.ts';
import type { AlertMessage } from './alert-message.ts';

/** A claimed alert: the message was fixed when it was claimed, so a later delivery sends what was due then. */
export interface AlertClaim {
  readonly key: string;
  readonly budget: string;
  readonly periodKey: string;
  readonly kind: AlertKind;
  readonly message: AlertMessage;
}

export interface AlertRecord extends AlertClaim {
  readonly claimedAtMs: number;
  readonly deliveredAtMs: number | null;
  /** Why it could not be delivered, when every attempt failed. */
  readonly failure: string | null;
}

export type AlertOutcome = { readonly deliveredAtMs: number } | { readonly failure: string };

/**
 * Which alerts have been sent: claiming is what makes each alert go out once, however many evaluators run at
 * once and however often. The local database is one; a DynamoDB table with conditional writes the other.
 */
export interface AlertLedger {
  /** Those of `keys` claimed already. */
  claimed(keys: readonly string[]): Promise<Set<string>>;
  /** True for the one caller that claims the key first; false for every other. */
  claim(claim: AlertClaim, nowMs: number): Promise<boolean>;
  settle(key: string, outcome: AlertOutcome): Promise<void>;
  /** Claims whose claimer stopped before settling them (a killed process), taken over by this caller. */
  takeOrphans(nowMs: number): Promise<AlertClaim[]>;
  /** The latest alert of each budget, for `seatmeter budget status`. */
  latest(): Promise<AlertRecord[]>;
}
