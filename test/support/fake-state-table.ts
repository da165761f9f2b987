import { BatchGetItemCommand, ConditionalCheckFailedException, DeleteItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { AwsClientStub } from 'aws-sdk-client-mock';

type Item = Record<string, AttributeValue>;
type Values = Record<string, AttributeValue> | undefined;

const number = (value: AttributeValue | undefined): bigint | null => (value?.N === undefined ? null : BigInt(value.N));
const float = (value: AttributeValue | undefined): number => Number(value?.N);

/**
 * The conditions the receiver's DynamoDB adapters send, evaluated the way DynamoDB would. Anything else
 * fails loudly, so a changed expression cannot pass against a fake that no longer understands it.
 */
const CONDITIONS: Readonly<Record<string, (existing: Item | undefined, values: Values) => boolean>> = {
  'attribute_not_exists(series_key) OR time_unix_nano < :t OR (time_unix_nano = :t AND #value < :v)': (existing, values) => {
    if (existing === undefined) return true;
    const stored = number(existing.time_unix_nano) ?? 0n;
    const time = number(values?.[':t']) ?? 0n;
    return stored < time || (stored === time && float(existing.value) < float(values?.[':v']));
  },
  'attribute_not_exists(series_key) OR lease_until < :now': (existing, values) =>
    existing === undefined || (number(existing.lease_until) ?? 0n) < (number(values?.[':now']) ?? 0n),
  '#owner = :owner': (existing, values) => existing !== undefined && existing.owner?.S === values?.[':owner']?.S,
};

function check(condition: string | undefined, existing: Item | undefined, values: Values): void {
  if (condition === undefined) return;
  const evaluate = CONDITIONS[condition];
  if (evaluate === undefined) throw new Error(`fake state table does not know the condition ${condition}`);
  if (!evaluate(existing, values)) throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
}

/** A series state table on an aws-sdk-client-mock DynamoDB stub: BatchGetItem, conditional PutItem and DeleteItem. */
export class FakeStateTable {
  readonly items = new Map<string, Item>();

  /** With `tableName`, its puts and deletes answer only calls naming that table. */
  install(dynamodb: AwsClientStub<DynamoDBClient>, tableName?: string): void {
    this.items.clear();
    const only = tableName === undefined ? undefined : { TableName: tableName };
    dynamodb.on(BatchGetItemCommand).callsFake((input: { RequestItems: Record<string, { Keys: Item[] }> }) => {
      const [table, request] = Object.entries(input.RequestItems)[0] ?? [];
      const found = (request?.Keys ?? []).map((key) => this.items.get(key.series_key?.S ?? '')).filter((item) => item !== undefined);
      return { Responses: { [table ?? '']: found } };
    });
    dynamodb.on(PutItemCommand, only).callsFake((input: { Item: Item; ConditionExpression?: string; ExpressionAttributeValues?: Values }) => {
      const key = input.Item.series_key?.S ?? '';
      check(input.ConditionExpression, this.items.get(key), input.ExpressionAttributeValues);
      this.items.set(key, input.Item);
      return {};
    });
    dynamodb.on(DeleteItemCommand, only).callsFake((input: { Key: Item; ConditionExpression?: string; ExpressionAttributeValues?: Values }) => {
      const key = input.Key.series_key?.S ?? '';
      check(input.ConditionExpression, this.items.get(key), input.ExpressionAttributeValues);
      this.items.delete(key);
      return {};
    });
  }

  /** Keys of the leases still held. */
  leases(): string[] {
    return [...this.items.keys()].filter((key) => key.startsWith('lock#'));
  }
}
