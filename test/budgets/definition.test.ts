import { describe, expect, it } from 'vitest';
import { BudgetDefinitionError, budgetJson, parseBudget, parseBudgetFile, parseScope } from '../../lambdas/budgets/definition.ts';

describe('parseBudget', () => {
  it('reads a budget with its defaults: a month in UTC, a soft alert at 70 %, the hard limit on', () => {
    expect(parseBudget({ name: 'payments', scope: 'team:payments', limit_usd: 2000 })).toEqual({
      name: 'payments',
      scope: { kind: 'team', team: 'payments' },
      tool: null,
      model: null,
      period: 'month',
      timeZone: 'UTC',
      limit: { unit: 'usd', amount: 2000 },
      soft: [0.7],
      hard: true,
      slackWebhookUrl: null,
      owner: null,
    });
  });

  it('round-trips every field through the file form', () => {
    const file = { name: 'dev-daily', scope: 'user:dev@example.com', tool: 'claude_code', model: 'claude-opus-4-8', period: 'day', time_zone: 'Europe/Berlin', limit_tokens: 5_000_000, soft: [0.5, 0.9], hard: false, slack_webhook_url: 'https://hooks.slack.com/services/T0/B0/x', owner: 'platform@example.com' };
    expect(budgetJson(parseBudget(file))).toEqual(file);
  });

  it.each([
    [[], 'budget must be an object'],
    [{ name: 'x', scope: 'org', limit_usd: 1, limits: 2 }, 'budget: unknown field "limits"; the fields are name, scope'],
    [{ name: 'has space', scope: 'org', limit_usd: 1 }, 'budget.name must be 1–64 letters'],
    [{ name: 'x', limit_usd: 1 }, 'budget "x".scope is required'],
    [{ name: 'x', scope: 'squad:a', limit_usd: 1 }, 'budget "x".scope: "squad:a" is not org, team:<name>, user:<email> or repo:<owner/name>'],
    [{ name: 'x', scope: 'user:nobody', limit_usd: 1 }, 'is not org, team:<name>, user:<email>'],
    [{ name: 'x', scope: 'repo:just-a-name', limit_usd: 1 }, 'is not org, team:<name>, user:<email> or repo:<owner/name>'],
    [{ name: 'x', scope: 'org', limit_usd: 1, period: 'year' }, 'budget "x".period must be day, week or month, got "year"'],
    [{ name: 'x', scope: 'org', limit_usd: 1, time_zone: 'CET+1' }, 'budget "x".time_zone "CET+1" is not an IANA time zone'],
    [{ name: 'x', scope: 'org' }, 'budget "x" needs exactly one of limit_usd and limit_tokens'],
    [{ name: 'x', scope: 'org', limit_usd: 1, limit_tokens: 1 }, 'needs exactly one of limit_usd and limit_tokens'],
    [{ name: 'x', scope: 'org', limit_usd: -5 }, 'budget "x".limit_usd must be a number above 0, got -5'],
    [{ name: 'x', scope: 'org', limit_tokens: 1.5 }, 'budget "x".limit_tokens must be a whole number'],
    [{ name: 'x', scope: 'org', limit_usd: 1, soft: [70] }, 'budget "x".soft must be a list of fractions between 0 and 1 (0.7 is 70 %), got [70]'],
    [{ name: 'x', scope: 'org', limit_usd: 1, hard: 'yes' }, 'budget "x".hard must be true or false'],
    [{ name: 'x', scope: 'org', limit_usd: 1, slack_webhook_url: 'http://hooks.slack.com/x' }, 'budget "x".slack_webhook_url must be https'],
    [{ name: 'x', scope: 'org', limit_usd: 1, owner: '' }, 'budget "x".owner must be a non-empty string'],
  ])('refuses %j, naming the field', (input, message) => {
    expect(() => parseBudget(input)).toThrow(BudgetDefinitionError);
    expect(() => parseBudget(input)).toThrow(message);
  });
});

describe('parseBudgetFile', () => {
  it('reads budgets.json and refuses two budgets of one name', () => {
    expect(parseBudgetFile('{"budgets":[{"name":"org","scope":"org","limit_usd":10000}]}', 'budgets.json').map((budget) => budget.name)).toEqual(['org']);
    expect(() => parseBudgetFile('{"budgets":[{"name":"a","scope":"org","limit_usd":1},{"name":"a","scope":"org","limit_usd":2}]}', 'budgets.json')).toThrow('budgets.json: two budgets are named "a"');
    expect(() => parseBudgetFile('{"budgets":[{"name":"a","scope":"org"}]}', 'budgets.json')).toThrow('budget "a" needs exactly one of limit_usd and limit_tokens');
    expect(() => parseBudgetFile('[]', 'budgets.json')).toThrow('budgets.json must hold {"budgets": [ ... ]}');
    expect(() => parseBudgetFile('{', 'budgets.json')).toThrow('budgets.json is not JSON');
  });

  it('lower-cases a user scope, as identities are joined', () => {
    expect(parseScope('user:Dev@Example.com')).toEqual({ kind: 'user', email: 'dev@example.com' });
  });
});
