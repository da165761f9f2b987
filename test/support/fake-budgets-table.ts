import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { AwsClientStub } from 'aws-sdk-client-mock';

type Item = Record<string, AttributeValue>;
type Values = Record<string, AttributeValue>;
type Names = Record<string, string>;

const keyOf = (item: Item | undefined): string => `${item?.pk?.S ?? ''}\u0000${item?.sk?.S ?? ''}`;

/**
 * The conditions the budgets table's adapters send, evaluated the way DynamoDB would. Anything else fails
 * loudly, so a changed expression cannot pass against a fake that no longer understands it.
 */
const CONDITIONS: Readonly<Record<string, (existing: Item | undefined, values: Values, names: Names) => boolean>> = {
  '#token = :token': (existing, values, names) => names['#token'] === 'token' && existing?.token?.S === values[':token']?.S,
  'attribute_not_exists(pk)': (existing) => existing === undefined,
  'claimed_at_ms = :seen AND attribute_not_exists(delivered_at_ms) AND attribute_not_exists(failure)': (existing, values) =>
    existing !== undefined && existing.claimed_at_ms?.N === values[':seen']?.N && existing.delivered_at_ms === undefined && existing.failure === undefined,
};

/** The update expressions they send: each SETs attributes to values. */
const UPDATES: Readonly<Record<string, readonly (readonly [attribute: string, value: string])[]>> = {
  'SET delivered_at_ms = :value': [['delivered_at_ms', ':value']],
  'SET failure = :value': [['failure', ':value']],
  'SET claimed_by = :me, claimed_at_ms = :now': [
    ['claimed_by', ':me'],
    ['claimed_at_ms', ':now'],
  ],
};

function check(condition: string | undefined, existing: Item | undefined, values: Values = {}, names: Names = {}): void {
  if (condition === undefined) return;
  const evaluate = CONDITIONS[condition];
  if (evaluate === undefined) throw new Error(`fake budgets table does not know the condition ${condition}`);
  if (!evaluate(existing, values, names)) throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
}

interface Write {
  readonly ConditionExpression?: string;
  readonly ExpressionAttributeValues?: Values;
  readonly ExpressionAttributeNames?: Names;
}

/**
 * The budgets table (pk/sk) on an aws-sdk-client-mock DynamoDB stub. Queries come back in pages of `pageSize`
 * items, sorted by sort key as DynamoDB does, so pagination is exercised on every read.
 */
export class FakeBudgetsTable {
  readonly items = new Map<string, Item>();
  readonly pageSize: number;

  constructor(pageSize = 3) {
    this.pageSize = pageSize;
  }

  /** With `tableName`, answers only the calls naming that table: another fake can serve the others. */
  install(dynamodb: AwsClientStub<DynamoDBClient>, tableName?: string): void {
    this.items.clear();
    const only = tableName === undefined ? undefined : { TableName: tableName };
    dynamodb.on(PutItemCommand, only).callsFake((input: Write & { Item: Item }) => {
      check(input.ConditionExpression, this.items.get(keyOf(input.Item)), input.ExpressionAttributeValues, input.ExpressionAttributeNames);
      this.items.set(keyOf(input.Item), structuredClone(input.Item));
      return {};
    });
    // Puts only, all or none: every condition is checked before any item is written, as DynamoDB does.
    dynamodb.on(TransactWriteItemsCommand).callsFake((input: { TransactItems: { Put?: Write & { TableName: string; Item: Item } }[] }) => {
      const puts = input.TransactItems.map((entry) => {
        if (entry.Put === undefined) throw new Error('fake budgets table takes only Put in a transaction');
        return entry.Put;
      });
      const reasons = puts.map((put) => {
        try {
          check(put.ConditionExpression, this.items.get(keyOf(put.Item)), put.ExpressionAttributeValues, put.ExpressionAttributeNames);
          return { Code: 'None' };
        } catch (error) {
          if (error instanceof ConditionalCheckFailedException) return { Code: 'ConditionalCheckFailed' };
          throw error;
        }
      });
      if (reasons.some((reason) => reason.Code !== 'None')) throw new TransactionCanceledException({ message: 'Transaction cancelled', $metadata: {}, CancellationReasons: reasons });
      for (const put of puts) this.items.set(keyOf(put.Item), structuredClone(put.Item));
      return {};
    });
    dynamodb.on(GetItemCommand, only).callsFake((input: { Key: Item }) => {
      const item = this.items.get(keyOf(input.Key));
      return item === undefined ? {} : { Item: structuredClone(item) };
    });
    dynamodb.on(DeleteItemCommand, only).callsFake((input: Write & { Key: Item; ReturnValues?: string }) => {
      const key = keyOf(input.Key);
      const existing = this.items.get(key);
      check(input.ConditionExpression, existing, input.ExpressionAttributeValues, input.ExpressionAttributeNames);
      this.items.delete(key);
      return input.ReturnValues === 'ALL_OLD' && existing !== undefined ? { Attributes: existing } : {};
    });
    dynamodb.on(UpdateItemCommand, only).callsFake((input: Write & { Key: Item; UpdateExpression: string }) => {
      const key = keyOf(input.Key);
      const existing = this.items.get(key);
      check(input.ConditionExpression, existing, input.ExpressionAttributeValues, input.ExpressionAttributeNames);
      const sets = UPDATES[input.UpdateExpression];
      if (sets === undefined) throw new Error(`fake budgets table does not know the update ${input.UpdateExpression}`);
      const item: Item = { ...(existing ?? input.Key) };
      for (const [attribute, value] of sets) item[attribute] = input.ExpressionAttributeValues?.[value] as AttributeValue;
      this.items.set(key, item);
      return {};
    });
    dynamodb.on(QueryCommand, only).callsFake((input: { KeyConditionExpression: string; ExpressionAttributeValues: Values; ExclusiveStartKey?: Item }) => {
      const values = input.ExpressionAttributeValues;
      const pk = values[':pk']?.S ?? '';
      let inRange: (sk: string) => boolean;
      if (input.KeyConditionExpression === 'pk = :pk') inRange = () => true;
      else if (input.KeyConditionExpression === 'pk = :pk AND sk BETWEEN :from AND :to') inRange = (sk) => sk >= (values[':from']?.S ?? '') && sk <= (values[':to']?.S ?? '');
      else throw new Error(`fake budgets table does not know the key condition ${input.KeyConditionExpression}`);
      const after = input.ExclusiveStartKey?.sk?.S;
      const matching = [...this.items.values()]
        .filter((item) => item.pk?.S === pk && inRange(item.sk?.S ?? '') && (after === undefined || (item.sk?.S ?? '') > after))
        .sort((a, b) => ((a.sk?.S ?? '') < (b.sk?.S ?? '') ? -1 : 1));
      const page = matching.slice(0, this.pageSize).map((item) => structuredClone(item));
      const last = page.at(-1);
      return { Items: page, ...(matching.length > this.pageSize && last !== undefined ? { LastEvaluatedKey: { pk: last.pk as AttributeValue, sk: last.sk as AttributeValue } } : {}) };
    });
  }

  /** `pk|sk` of the items whose partition key starts with `prefix`. */
  keys(prefix: string): string[] {
    return [...this.items.values()].filter((item) => (item.pk?.S ?? '').startsWith(prefix)).map((item) => `${item.pk?.S}|${item.sk?.S}`);
  }
}
