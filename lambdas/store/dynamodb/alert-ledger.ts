import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException, DeleteItemCommand, GetItemCommand, TransactionCanceledException, TransactWriteItemsCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { AlertClaim, AlertLedger, AlertOutcome, AlertRecord } from '../../budgets/alerts/alert-ledger.ts';
import type { AlertKind } from '../../budgets/alerts/alert-rules.ts';
import type { AlertMessage } from '../../budgets/alerts/alert-message.ts';
import { queryPartition } from './query-pages.ts';
import type { Item } from './query-pages.ts';
import { expiresAt } from './series-state-item.ts';

export interface DynamoDbAlertLedgerOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
}

/**
 * A claim unsettled this long was left by an evaluator that died: the alerts Lambda times out well before
 * (2 minutes), so a live one is never taken over.
 */
export const ORPHAN_AFTER_MS = 5 * 60_000;
/** Alerts are kept a year: `budget status` shows the latest, and a period's claims must outlive the period. */
const ALERT_TTL_DAYS = 400;

const UNSETTLED = 'attribute_not_exists(delivered_at_ms) AND attribute_not_exists(failure)';

function claimOf(item: Item): AlertClaim {
  return { key: item.sk?.S ?? '', budget: item.budget?.S ?? '', periodKey: item.period_key?.S ?? '', kind: (item.kind?.S ?? '') as AlertKind, message: JSON.parse(item.message?.S ?? 'null') as AlertMessage };
}

const key = (alertKey: string): Item => ({ pk: { S: 'alert' }, sk: { S: alertKey } });
/** A claim not yet settled: a small item beside it, so finding orphans reads only these, not every alert kept. */
const pendingKey = (alertKey: string): Item => ({ pk: { S: 'alert-pending' }, sk: { S: alertKey } });

/**
 * The alert ledger in the budgets table (`alert` / key). A claim is a put on the condition that the key is
 * not there: DynamoDB lets exactly one of any number of concurrent evaluators have it. In the same transaction
 * it puts `alert-pending` / key, removed once the claim is settled, so the orphans an evaluator looks for every
 * minute are read from that (normally empty) partition.
 */
export class DynamoDbAlertLedger implements AlertLedger {
  readonly #client: DynamoDBClient;
  readonly #tableName: string;
  readonly #instance = randomUUID();

  constructor(options: DynamoDbAlertLedgerOptions) {
    this.#client = options.client;
    this.#tableName = options.tableName;
  }

  async claimed(keys: readonly string[]): Promise<Set<string>> {
    const found = await Promise.all(keys.map(async (alertKey) => ((await this.#client.send(new GetItemCommand({ TableName: this.#tableName, Key: key(alertKey), ConsistentRead: true }))).Item === undefined ? null : alertKey)));
    return new Set(found.filter((alertKey) => alertKey !== null));
  }

  async claim(claim: AlertClaim, nowMs: number): Promise<boolean> {
    const expires = { N: String(expiresAt(nowMs, ALERT_TTL_DAYS)) };
    try {
      await this.#client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.#tableName,
                Item: {
                  ...key(claim.key),
                  budget: { S: claim.budget },
                  period_key: { S: claim.periodKey },
                  kind: { S: claim.kind },
                  message: { S: JSON.stringify(claim.message) },
                  claimed_by: { S: this.#instance },
                  claimed_at_ms: { N: String(nowMs) },
                  expires_at: expires,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            { Put: { TableName: this.#tableName, Item: { ...pendingKey(claim.key), claimed_at_ms: { N: String(nowMs) }, expires_at: expires } } },
          ],
        }),
      );
      return true;
    } catch (error) {
      // Cancelled by the condition: another evaluator has the key. Any other reason is a failure to report.
      if (error instanceof TransactionCanceledException && (error.CancellationReasons ?? []).some((reason) => reason.Code === 'ConditionalCheckFailed')) return false;
      throw error;
    }
  }

  async settle(alertKey: string, outcome: AlertOutcome): Promise<void> {
    const delivered = 'deliveredAtMs' in outcome;
    await this.#client.send(
      new UpdateItemCommand({
        TableName: this.#tableName,
        Key: key(alertKey),
        UpdateExpression: delivered ? 'SET delivered_at_ms = :value' : 'SET failure = :value',
        ExpressionAttributeValues: { ':value': delivered ? { N: String(outcome.deliveredAtMs) } : { S: outcome.failure } },
      }),
    );
    await this.#client.send(new DeleteItemCommand({ TableName: this.#tableName, Key: pendingKey(alertKey) }));
  }

  async takeOrphans(nowMs: number): Promise<AlertClaim[]> {
    const taken: AlertClaim[] = [];
    for (const pending of await queryPartition(this.#client, this.#tableName, 'alert-pending')) {
      if (Number(pending.claimed_at_ms?.N) > nowMs - ORPHAN_AFTER_MS) continue;
      const alertKey = pending.sk?.S ?? '';
      const { Item: item } = await this.#client.send(new GetItemCommand({ TableName: this.#tableName, Key: key(alertKey), ConsistentRead: true }));
      if (item === undefined || item.delivered_at_ms !== undefined || item.failure !== undefined) {
        // Settled by a claimer that stopped before removing the mark (or expired): nothing to send.
        await this.#client.send(new DeleteItemCommand({ TableName: this.#tableName, Key: pendingKey(alertKey) }));
        continue;
      }
      const claimedAt = Number(item.claimed_at_ms?.N);
      if (claimedAt > nowMs - ORPHAN_AFTER_MS) continue;
      try {
        // Taken over only as seen: another evaluator taking it first changed claimed_at_ms.
        await this.#client.send(
          new UpdateItemCommand({
            TableName: this.#tableName,
            Key: key(item.sk?.S ?? ''),
            UpdateExpression: 'SET claimed_by = :me, claimed_at_ms = :now',
            ConditionExpression: `claimed_at_ms = :seen AND ${UNSETTLED}`,
            ExpressionAttributeValues: { ':me': { S: this.#instance }, ':now': { N: String(nowMs) }, ':seen': { N: String(claimedAt) } },
          }),
        );
        taken.push(claimOf(item));
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    return taken;
  }

  async latest(): Promise<AlertRecord[]> {
    const latest = new Map<string, AlertRecord>();
    for (const item of await queryPartition(this.#client, this.#tableName, 'alert')) {
      const record: AlertRecord = {
        ...claimOf(item),
        claimedAtMs: Number(item.claimed_at_ms?.N),
        deliveredAtMs: item.delivered_at_ms?.N === undefined ? null : Number(item.delivered_at_ms.N),
        failure: item.failure?.S ?? null,
      };
      const known = latest.get(record.budget);
      if (known === undefined || record.claimedAtMs > known.claimedAtMs || (record.claimedAtMs === known.claimedAtMs && record.key > known.key)) latest.set(record.budget, record);
    }
    return [...latest.values()].sort((a, b) => a.budget.localeCompare(b.budget));
  }
}
