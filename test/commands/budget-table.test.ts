import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { budgetCommand } from '../../bin/commands/budget.ts';
import { LedgerWriter } from '../../lambdas/budgets/ledger/ledger-writer.ts';
import { DynamoDbLedgerTable } from '../../lambdas/store/dynamodb/ledger-table.ts';
import { FakeBudgetsTable } from '../support/fake-budgets-table.ts';
import { usage } from '../support/records.ts';

const dynamodb = mockClient(DynamoDBClient);
const table = new FakeBudgetsTable();
beforeEach(() => {
  dynamodb.reset();
  table.install(dynamodb, 'seatmeter-budgets');
});
afterAll(() => dynamodb.restore());

/** Runs `seatmeter budget …` in this process, so the mocked DynamoDB client answers it. */
async function budget(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => out.push(String(chunk)) > 0);
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => err.push(String(chunk)) > 0);
  try {
    const code = await budgetCommand.run([...args, '--table', 'seatmeter-budgets']);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

describe('seatmeter budget --table', () => {
  it('sets, lists, exempts and removes budgets in the deployed table, and shows their spend from its ledger', async () => {
    expect(await budget('set', 'payments', '--scope', 'team:payments', '--period', 'month', '--limit-usd', '100', '--owner', 'platform@example.com')).toEqual({ code: 0, stdout: 'set payments\n', stderr: '' });
    expect(table.keys('budget')).toEqual(['budget|payments']);
    const now = Date.now();
    await new LedgerWriter(new DynamoDbLedgerTable({ client: new DynamoDBClient({}), tableName: 'seatmeter-budgets' })).record([usage({ id: 'u1', time_ms: now - 60_000, team: 'payments', estimated_cost_usd: 12.5 })]);
    const status = JSON.parse((await budget('status', '--format', 'json')).stdout) as { budgets: { name: string; used: number }[] };
    expect(status.budgets.map((entry) => [entry.name, entry.used])).toEqual([['payments', 12.5]]);
    expect((await budget('grant', 'payments', '--until', '2h', '--reason', 'incident 7', '--by', 'oncall@example.com')).code).toBe(0);
    expect(table.keys('grant')).toHaveLength(1);
    expect(await budget('rm', 'payments')).toMatchObject({ code: 0 });
    expect([table.keys('budget'), table.keys('grant')]).toEqual([[], []]);
  });

  it('names the bad field of a budget before writing anything', async () => {
    const result = await budget('set', 'x', '--scope', 'nobody', '--limit-usd', '1');
    expect([result.code, result.stderr]).toEqual([2, expect.stringContaining('scope')]);
    expect(table.keys('budget')).toEqual([]);
  });
});
