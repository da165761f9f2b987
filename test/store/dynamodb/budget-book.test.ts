import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { parseBudget } from '../../../lambdas/budgets/definition.ts';
import { DynamoDbBudgetBook } from '../../../lambdas/store/dynamodb/budget-book.ts';
import { FakeBudgetsTable } from '../../support/fake-budgets-table.ts';

const dynamodb = mockClient(DynamoDBClient);
const table = new FakeBudgetsTable(2);
beforeEach(() => {
  dynamodb.reset();
  table.install(dynamodb);
});
afterAll(() => dynamodb.restore());

const book = () => new DynamoDbBudgetBook({ client: new DynamoDBClient({}), tableName: 'budgets' });
const grant = (target: string, extraUsd: number | null) => ({ target, untilMs: Date.parse('2026-12-08T00:00:00Z'), extraUsd, grantedBy: 'oncall@example.com', reason: 'incident 42' });

describe('DynamoDbBudgetBook', () => {
  it('keeps budgets by name, replaces one of the same name, and reads every page', async () => {
    const names = ['a', 'b', 'c', 'd', 'e'];
    for (const name of names) await book().put(parseBudget({ name, scope: 'org', period: 'day', limit_usd: 10 }));
    await book().put(parseBudget({ name: 'c', scope: 'team:payments', period: 'month', limit_tokens: 1000, soft: [0.5, 0.9], hard: false, owner: 'lead@example.com' }));
    const budgets = await book().budgets();
    expect(budgets.map((budget) => budget.name)).toEqual(names);
    expect(budgets[2]).toEqual(parseBudget({ name: 'c', scope: 'team:payments', period: 'month', limit_tokens: 1000, soft: [0.5, 0.9], hard: false, owner: 'lead@example.com' }));
  });

  it('removes a budget with its grants, and says when there was none', async () => {
    await book().put(parseBudget({ name: 'org', scope: 'org', period: 'day', limit_usd: 10 }));
    await book().grant(grant('org', 5), 1);
    await book().grant(grant('user:dev@example.com', null), 2);
    await book().grant(grant('org', 7), 3);
    expect((await book().grants()).map((each) => [each.target, each.extraUsd])).toEqual([
      ['org', 5],
      ['user:dev@example.com', null],
      ['org', 7],
    ]);
    expect(await book().remove('org')).toBe(true);
    expect(await book().remove('org')).toBe(false);
    expect(await book().grants()).toEqual([grant('user:dev@example.com', null)]);
  });

  it('names the stored budget that no longer parses', async () => {
    table.items.set('budget\u0000broken', { pk: { S: 'budget' }, sk: { S: 'broken' }, definition: { S: '{"name":"broken","scope":"nobody"}' } });
    await expect(book().budgets()).rejects.toThrow('budget "broken" needs exactly one of limit_usd and limit_tokens');
  });
});
