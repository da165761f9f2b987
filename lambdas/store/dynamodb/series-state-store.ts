import { BatchGetItemCommand, ConditionalCheckFailedException, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBClient, KeysAndAttributes } from '@aws-sdk/client-dynamodb';
import type { SeriesState, SeriesStateStore } from '../../temporality/series-state.ts';
import { chunks } from '../chunks.ts';
import { expiresAt, seriesKeyOf, seriesStateItem, seriesStateOf } from './series-state-item.ts';

export interface DynamoDbSeriesStateStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Days a baseline outlives its last update; a series whose process died then expires. Default 35. */
  readonly ttlDays?: number;
  /** Epoch milliseconds; the TTL is counted from it. */
  readonly now?: () => number;
  /** Waits between retries of unprocessed keys; injected so tests never wait. */
  readonly sleep?: (ms: number) => Promise<void>;
  /**
   * Called once per `save` that lost races: the series for which another invocation had already stored a
   * baseline at the same or a later time. Theirs is kept and `save` still resolves, so this is the only
   * trace of it, for the receiver to count in a metric.
   */
  readonly onConflicts?: (seriesKeys: readonly string[]) => void;
}

/** BatchGetItem's limit per call. */
const BATCH_GET_SIZE = 100;
/** Attempts per chunk before the keys DynamoDB keeps leaving unprocessed fail the load (the receiver answers 503). */
export const BATCH_GET_ATTEMPTS = 7;
const BACKOFF_BASE_MS = 25;
const BACKOFF_CAP_MS = 1_000;
/** Concurrent PutItems per save; well under the SDK's default socket pool. */
const PUT_CONCURRENCY = 16;

/**
 * Only a later snapshot may replace a baseline, so racing invocations can never move one back: later means a
 * later time, or the same time and a higher value (see cumulativeDelta). `value` is a DynamoDB reserved word.
 */
const ADVANCE_ONLY = 'attribute_not_exists(series_key) OR time_unix_nano < :t OR (time_unix_nano = :t AND #value < :v)';

const DEFAULT_TTL_DAYS = 35;

function unprocessedBackoffMs(retry: number): number {
  return Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** retry);
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Cumulative baselines in a DynamoDB table keyed by `series_key`, shared by every receiver invocation.
 * A lost race on `save` is not an error: the records are already stored, and the winner's baseline is the
 * newer one, so it stays; `onConflicts` is how the loss is reported. Throttling is left to the SDK's retries.
 */
export class DynamoDbSeriesStateStore implements SeriesStateStore {
  readonly #client: DynamoDBClient;
  readonly #tableName: string;
  readonly #ttlDays: number;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #onConflicts: ((seriesKeys: readonly string[]) => void) | undefined;

  constructor(options: DynamoDbSeriesStateStoreOptions) {
    this.#client = options.client;
    this.#tableName = options.tableName;
    this.#ttlDays = options.ttlDays ?? DEFAULT_TTL_DAYS;
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? realSleep;
    this.#onConflicts = options.onConflicts;
  }

  async load(keys: readonly string[]): Promise<ReadonlyMap<string, SeriesState>> {
    const found = new Map<string, SeriesState>();
    // BatchGetItem refuses a request that names the same key twice.
    const unique = [...new Set(keys)];
    await Promise.all(chunks(unique, BATCH_GET_SIZE).map((chunk) => this.#loadChunk(chunk, found)));
    return found;
  }

  async #loadChunk(keys: readonly string[], found: Map<string, SeriesState>): Promise<void> {
    // Consistent reads: a baseline saved by the previous export a moment ago must be seen, or its delta counts twice.
    let pending: KeysAndAttributes = { Keys: keys.map((key) => ({ series_key: { S: key } })), ConsistentRead: true };
    for (let attempt = 1; ; attempt += 1) {
      const response = await this.#client.send(new BatchGetItemCommand({ RequestItems: { [this.#tableName]: pending } }));
      for (const item of response.Responses?.[this.#tableName] ?? []) found.set(seriesKeyOf(item), seriesStateOf(item));
      const unprocessed = response.UnprocessedKeys?.[this.#tableName]?.Keys ?? [];
      if (unprocessed.length === 0) return;
      if (attempt === BATCH_GET_ATTEMPTS) {
        throw new Error(`DynamoDB left ${unprocessed.length} series state keys unprocessed after ${BATCH_GET_ATTEMPTS} attempts`);
      }
      await this.#sleep(unprocessedBackoffMs(attempt - 1));
      pending = { Keys: unprocessed, ConsistentRead: true };
    }
  }

  async save(updates: ReadonlyMap<string, SeriesState>): Promise<void> {
    const expires = expiresAt(this.#now(), this.#ttlDays);
    const queue = [...updates];
    const conflicts: string[] = [];
    const worker = async () => {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
        const [key, state] = next;
        if (!(await this.#put(key, state, expires))) conflicts.push(key);
      }
    };
    await Promise.all(Array.from({ length: Math.min(PUT_CONCURRENCY, queue.length) }, worker));
    if (conflicts.length > 0) this.#onConflicts?.(conflicts);
  }

  /** False when the same or a later baseline is already stored. */
  async #put(key: string, state: SeriesState, expires: number): Promise<boolean> {
    try {
      await this.#client.send(
        new PutItemCommand({
          TableName: this.#tableName,
          Item: seriesStateItem(key, state, expires),
          ConditionExpression: ADVANCE_ONLY,
          ExpressionAttributeNames: { '#value': 'value' },
          ExpressionAttributeValues: { ':t': { N: state.timeUnixNano.toString() }, ':v': { N: String(state.value) } },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
