import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException, DeleteItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { StorageUnavailableError } from '../errors.ts';
import { expiresAt } from './series-state-item.ts';

export interface DynamoDbSeriesLockOptions {
  readonly client: DynamoDBClient;
  /** The series state table: leases are items beside the baselines, under keys no series key can take. */
  readonly tableName: string;
  /**
   * Epoch milliseconds until which a lease taken now is held: the end of the current invocation, so a
   * container that dies holding one frees it when its invocation could no longer be running anyway.
   */
  readonly leaseUntil: () => number;
  /** How long to wait for a scope another request holds before answering 503 (the client retries). */
  readonly maxWaitMs?: number;
  readonly now?: () => number;
  /** Waits between attempts; injected so tests never wait. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Names this lock's leases; a fresh id per lock by default. */
  readonly owner?: () => string;
  /** Called when a lease could not be released (it expires by itself); for the receiver's log. */
  readonly onReleaseFailure?: (error: unknown) => void;
}

const DEFAULT_MAX_WAIT_MS = 3_000;
const RETRY_BASE_MS = 20;
const RETRY_CAP_MS = 400;
/** Days DynamoDB may keep a lease item nobody deleted; its `lease_until` expired long before. */
const LEASE_TTL_DAYS = 1;

const FREE = 'attribute_not_exists(series_key) OR lease_until < :now';
const OURS = '#owner = :owner';

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function leaseKey(scope: string): string {
  // Series keys are bare hex digests, so this prefix can never name a baseline.
  return `lock#${scope}`;
}

/**
 * Exclusive leases on cumulative scopes, shared by every receiver invocation through the state table. A
 * conditional put takes a free or expired lease; the holder deletes it when done. Scopes are taken in
 * sorted order, so two requests wanting overlapping sets wait for each other instead of deadlocking.
 */
export class DynamoDbSeriesLock {
  readonly #options: DynamoDbSeriesLockOptions;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #maxWaitMs: number;

  constructor(options: DynamoDbSeriesLockOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? realSleep;
    this.#maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
  }

  /** Runs `work` holding every scope's lease; throws StorageUnavailableError when one stays taken. */
  async run<T>(scopes: readonly string[], work: () => Promise<T>): Promise<T> {
    const owner = (this.#options.owner ?? randomUUID)();
    const held: string[] = [];
    try {
      for (const scope of [...new Set(scopes)].sort()) {
        await this.#acquire(scope, owner);
        held.push(scope);
      }
      return await work();
    } finally {
      await Promise.all(held.map((scope) => this.#release(scope, owner)));
    }
  }

  async #acquire(scope: string, owner: string): Promise<void> {
    const giveUpAt = this.#now() + this.#maxWaitMs;
    for (let attempt = 0; ; attempt += 1) {
      if (await this.#tryPut(scope, owner)) return;
      const wait = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** attempt);
      if (this.#now() + wait > giveUpAt) {
        throw new StorageUnavailableError(`another request is updating the same cumulative series (lease ${leaseKey(scope)}); retry shortly`);
      }
      await this.#sleep(wait);
    }
  }

  async #tryPut(scope: string, owner: string): Promise<boolean> {
    const now = this.#now();
    try {
      await this.#options.client.send(
        new PutItemCommand({
          TableName: this.#options.tableName,
          Item: {
            series_key: { S: leaseKey(scope) },
            owner: { S: owner },
            lease_until: { N: String(this.#options.leaseUntil()) },
            expires_at: { N: String(expiresAt(now, LEASE_TTL_DAYS)) },
          },
          ConditionExpression: FREE,
          ExpressionAttributeValues: { ':now': { N: String(now) } },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /**
   * The work's outcome stands whatever happens here: a lease that cannot be deleted only delays the next
   * request on its scope until it expires, and one already taken over after expiry is not ours to delete.
   */
  async #release(scope: string, owner: string): Promise<void> {
    try {
      await this.#options.client.send(
        new DeleteItemCommand({
          TableName: this.#options.tableName,
          Key: { series_key: { S: leaseKey(scope) } },
          ConditionExpression: OURS,
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':owner': { S: owner } },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) this.#options.onReleaseFailure?.(error);
    }
  }
}
