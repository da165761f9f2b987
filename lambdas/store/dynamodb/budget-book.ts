import { randomUUID } from 'node:crypto';
import { DeleteItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { BudgetBook } from '../../budgets/budget-book.ts';
import type { BudgetGrant } from '../../budgets/decision.ts';
import { budgetJson, parseBudget } from '../../budgets/definition.ts';
import type { Budget } from '../../budgets/definition.ts';
import { queryPartition } from './query-pages.ts';
import type { Item } from './query-pages.ts';

export interface DynamoDbBudgetBookOptions {
  readonly client: DynamoDBClient;
  /** The budgets table (pk, sk, TTL `expires_at`). */
  readonly tableName: string;
}

/** A grant is history after it ends: kept this long for `budget status` and audits, then expired. */
const GRANT_KEPT_AFTER_S = 90 * 86_400;

/**
 * Budgets (`budget` / name, the definition as budgets.json writes it) and grants (`grant` / when#id) in the
 * deployed stack's budgets table: `seatmeter budget set --stack` changes them without a redeploy, and every
 * receiver and the alerts Lambda read them on their next request.
 */
export class DynamoDbBudgetBook implements BudgetBook {
  readonly #client: DynamoDBClient;
  readonly #tableName: string;

  constructor(options: DynamoDbBudgetBookOptions) {
    this.#client = options.client;
    this.#tableName = options.tableName;
  }

  async budgets(): Promise<Budget[]> {
    const items = await queryPartition(this.#client, this.#tableName, 'budget');
    return items.map((item) => parseBudget(JSON.parse(item.definition?.S ?? 'null'), `stored budget "${item.sk?.S ?? ''}"`));
  }

  async put(budget: Budget): Promise<void> {
    await this.#client.send(new PutItemCommand({ TableName: this.#tableName, Item: { pk: { S: 'budget' }, sk: { S: budget.name }, definition: { S: JSON.stringify(budgetJson(budget)) } } }));
  }

  async remove(name: string): Promise<boolean> {
    const removed = await this.#client.send(new DeleteItemCommand({ TableName: this.#tableName, Key: { pk: { S: 'budget' }, sk: { S: name } }, ReturnValues: 'ALL_OLD' }));
    // Its grants go with it, as locally: a budget of the same name later starts without them.
    for (const item of await queryPartition(this.#client, this.#tableName, 'grant')) {
      if (item.target?.S === name) await this.#client.send(new DeleteItemCommand({ TableName: this.#tableName, Key: { pk: item.pk as Item[string], sk: item.sk as Item[string] } }));
    }
    return removed.Attributes !== undefined;
  }

  async grants(): Promise<BudgetGrant[]> {
    const items = await queryPartition(this.#client, this.#tableName, 'grant');
    return items.map((item) => ({
      target: item.target?.S ?? '',
      untilMs: Number(item.until_ms?.N),
      extraUsd: item.extra_usd?.N === undefined ? null : Number(item.extra_usd.N),
      grantedBy: item.granted_by?.S ?? '',
      reason: item.reason?.S ?? '',
    }));
  }

  async grant(grant: BudgetGrant, grantedAtMs: number): Promise<void> {
    await this.#client.send(
      new PutItemCommand({
        TableName: this.#tableName,
        Item: {
          pk: { S: 'grant' },
          // Sorted by when they were granted, as `budget status` lists them.
          sk: { S: `${String(grantedAtMs).padStart(15, '0')}#${randomUUID()}` },
          target: { S: grant.target },
          until_ms: { N: String(grant.untilMs) },
          ...(grant.extraUsd === null ? {} : { extra_usd: { N: String(grant.extraUsd) } }),
          granted_by: { S: grant.grantedBy },
          reason: { S: grant.reason },
          granted_at_ms: { N: String(grantedAtMs) },
          expires_at: { N: String(Math.floor(grant.untilMs / 1000) + GRANT_KEPT_AFTER_S) },
        },
      }),
    );
  }
}
