import { ConditionalCheckFailedException, DeleteItemCommand, GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { AwsClientStub } from 'aws-sdk-client-mock';

type Item = Record<string, AttributeValue>;
type Values = Record<string, AttributeValue> | undefined;

const keyOf = (item: Item | undefined): string => `${item?.pk?.S ?? ''}\u0000${item?.sk?.S ?? ''}`;

/**
 * A pk/sk table on an aws-sdk-client-mock DynamoDB stub, for the expressions the budgets table's adapters send
 * and nothing else: an unknown one fails loudly. Queries come back in pages of `pageSize` items, sorted by sort
 * key as DynamoDB does, so pagination is exercised on every read.
 */
export class FakeLedgerTable {
  readonly items = new Map<string, Item>();
  readonly pageSize: number;
  /** How many of each command reached the table. */
  readonly calls = new Map<string, number>();

  constructor(pageSize = 3) {
    this.pageSize = pageSize;
  }

  #count(name: string): void {
    this.calls.set(name, (this.calls.get(name) ?? 0) + 1);
  }

  install(dynamodb: AwsClientStub<DynamoDBClient>): void {
    this.items.clear();
    dynamodb.on(PutItemCommand).callsFake((input: { Item: Item; ConditionExpression?: string }) => {
      this.#count('PutItem');
      if (input.ConditionExpression !== undefined) throw new Error(`fake ledger table does not know the condition ${input.ConditionExpression}`);
      this.items.set(keyOf(input.Item), structuredClone(input.Item));
      return {};
    });
    dynamodb.on(GetItemCommand).callsFake((input: { Key: Item }) => {
      this.#count('GetItem');
      const item = this.items.get(keyOf(input.Key));
      return item === undefined ? {} : { Item: structuredClone(item) };
    });
    dynamodb.on(DeleteItemCommand).callsFake((input: { Key: Item; ConditionExpression?: string; ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Values }) => {
      this.#count('DeleteItem');
      const key = keyOf(input.Key);
      if (input.ConditionExpression !== undefined) {
        if (input.ConditionExpression !== '#token = :token' || input.ExpressionAttributeNames?.['#token'] !== 'token') {
          throw new Error(`fake ledger table does not know the condition ${input.ConditionExpression}`);
        }
        if (this.items.get(key)?.token?.S !== input.ExpressionAttributeValues?.[':token']?.S) {
          throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
        }
      }
      this.items.delete(key);
      return {};
    });
    dynamodb.on(QueryCommand).callsFake((input: { KeyConditionExpression: string; ExpressionAttributeValues: Values; ExclusiveStartKey?: Item }) => {
      this.#count('Query');
      if (input.KeyConditionExpression !== 'pk = :pk AND sk BETWEEN :from AND :to') throw new Error(`fake ledger table does not know the key condition ${input.KeyConditionExpression}`);
      const values = input.ExpressionAttributeValues ?? {};
      const [pk, from, to] = [values[':pk']?.S ?? '', values[':from']?.S ?? '', values[':to']?.S ?? ''];
      const after = input.ExclusiveStartKey?.sk?.S;
      const matching = [...this.items.values()]
        .filter((item) => item.pk?.S === pk && (item.sk?.S ?? '') >= from && (item.sk?.S ?? '') <= to && (after === undefined || (item.sk?.S ?? '') > after))
        .sort((a, b) => ((a.sk?.S ?? '') < (b.sk?.S ?? '') ? -1 : 1));
      const page = matching.slice(0, this.pageSize).map((item) => structuredClone(item));
      const last = page.at(-1);
      return { Items: page, ...(matching.length > this.pageSize && last !== undefined ? { LastEvaluatedKey: { pk: last.pk as AttributeValue, sk: last.sk as AttributeValue } } : {}) };
    });
  }

  /** The items of one kind: their partition keys start with `prefix`. */
  keys(prefix: string): string[] {
    return [...this.items.values()].filter((item) => (item.pk?.S ?? '').startsWith(prefix)).map((item) => `${item.pk?.S}|${item.sk?.S}`);
  }
}
