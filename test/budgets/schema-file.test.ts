import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const schema = JSON.parse(readFileSync(new URL('../../schemas/budgets.schema.json', import.meta.url), 'utf8')) as {
  $defs: { budget: { properties: Record<string, unknown>; required: string[] } };
};

describe('schemas/budgets.schema.json', () => {
  it('describes exactly the fields the parser accepts', async () => {
    const { budgetJson, parseBudget } = await import('../../lambdas/budgets/definition.ts');
    const everyField = budgetJson(parseBudget({ name: 'a', scope: 'org', tool: 't', model: 'm', limit_usd: 1, slack_webhook_url: 'https://hooks.slack.com/x', owner: 'o' }));
    expect(new Set(Object.keys(schema.$defs.budget.properties))).toEqual(new Set([...Object.keys(everyField), 'limit_tokens']));
    expect(() => parseBudget({ name: 'a', scope: 'org', limit_usd: 1, [Object.keys(schema.$defs.budget.properties)[0] + '_x']: 1 })).toThrow('unknown field');
    expect(schema.$defs.budget.required).toEqual(['name', 'scope']);
  });
});
