import { QueryCommand } from '@aws-sdk/client-dynamodb';
import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';

export type Item = Record<string, AttributeValue>;

/**
 * Every page of one partition of a pk/sk table, or of the sort keys in [fromSk, toSk] when given. Reads are
 * consistent: what the budgets table holds is read right after it is written (the fold, a claim).
 */
export async function queryPartition(client: DynamoDBClient, tableName: string, pk: string, range?: { readonly fromSk: string; readonly toSk: string }): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: range === undefined ? 'pk = :pk' : 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': { S: pk }, ...(range === undefined ? {} : { ':from': { S: range.fromSk }, ':to': { S: range.toSk } }) },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return items;
}
