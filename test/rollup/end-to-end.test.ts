import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalUsageReports } from '../../lambdas/local/usage-reports.ts';
import { defaultPriceBook } from '../../lambdas/pricing/default-price-book.ts';
import { TOKEN_FIELDS } from '../../lambdas/records/types.ts';
import { dayBounds } from '../../lambdas/rollup/day.ts';
import { RollupDayError } from '../../lambdas/rollup/errors.ts';
import { FolderRollupOutput } from '../../lambdas/rollup/output/folder-output.ts';
import { rollupPartnersFrom } from '../../lambdas/rollup/partners.ts';
import { rollupDays } from '../../lambdas/rollup/rollup.ts';
import { LocalDatabase } from '../../lambdas/store/duckdb/database.ts';
import { DuckDbDayUsageSource } from '../../lambdas/store/duckdb/day-usage-reader.ts';
import { claudeCodeUsageItem, startFakeAnthropic } from '../support/fake-anthropic.ts';
import { startFakeOkta } from '../support/fake-okta.ts';
import { manualClock } from '../support/fake-partner-server.ts';
import { FIXTURE_DAY, fixtureDataDir } from '../support/fixture-store.ts';
import { rollupTablesIn } from '../support/rollup-output.ts';

const ADMIN_KEY = 'sk-ant-admin01-test-key';
const OKTA_TOKEN = 'okta-ssws-test-token';

/**
 * The real Okta and Anthropic adapters, configured from the environment exactly as the CLI and Lambda are,
 * against fakes that page one item at a time; the store is the captured clients replayed through `serve`.
 */
const store = await LocalDatabase.open(await fixtureDataDir(), { readOnly: true });
const clock = manualClock(Date.parse(`${FIXTURE_DAY}T03:00:00Z`));
const okta = await startFakeOkta({
  apiToken: OKTA_TOKEN,
  pageSize: 1,
  now: clock.now,
  groups: [
    // dev@ is in two team groups, under a mixed-case address: the alphabetically first team wins.
    { name: 'team-platform', members: ['ops@example.com', 'Dev@Example.COM'] },
    { name: 'team-payments', members: ['DEV@example.com', 'pay@example.com'] },
    { name: 'all-staff', members: ['dev@example.com', 'nobody@example.com'] },
  ],
});
const anthropic = await startFakeAnthropic({
  adminKey: ADMIN_KEY,
  pageSize: 1,
  now: clock.now,
  days: {
    [FIXTURE_DAY]: [
      claudeCodeUsageItem({ day: FIXTURE_DAY, email: 'Dev@Example.com', sessions: 2, models: [{ model: 'claude-opus-4-8', input: 1_000, output: 50, costCents: 9 }] }),
      // Usage that reached Anthropic but never seatmeter: telemetry not set up on that laptop.
      claudeCodeUsageItem({ day: FIXTURE_DAY, email: 'ghost@example.com', sessions: 1, models: [{ model: 'claude-sonnet-4-5', input: 400, output: 20, costCents: 3 }] }),
    ],
  },
});
const env = { OKTA_ORG_URL: okta.url, OKTA_API_TOKEN: OKTA_TOKEN, ANTHROPIC_ADMIN_API_KEY: ADMIN_KEY, ANTHROPIC_BASE_URL: anthropic.url };
const partners = () => rollupPartnersFrom(env, 'prefix:team-', { now: clock.now, sleep: clock.sleep, random: clock.random });
const storeTotals = (await new LocalUsageReports(store).report({ ...dayBounds(FIXTURE_DAY), by: [] }))[0];

async function rollUpInto(out: string): Promise<void> {
  await rollupDays([FIXTURE_DAY], { usage: new DuckDbDayUsageSource(store), ...partners(), pricer: defaultPriceBook(), output: new FolderRollupOutput(out) });
}

function filesIn(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) files.set(join(entry.parentPath, entry.name).slice(dir.length), readFileSync(join(entry.parentPath, entry.name)).toString('base64'));
  }
  return files;
}

afterAll(() => Promise.all([store.close(), okta.close(), anthropic.close()]));

describe('the rollup against Okta and the Claude Code Analytics API over HTTP', () => {
  const out = mkdtempSync(join(tmpdir(), 'seatmeter-rollup-e2e-'));

  it('pages through both APIs, waits out a 429 and a 500, and attributes everyone to exactly one team', async () => {
    okta.rateLimitNext('members', 2);
    anthropic.failNext('usageReport', { status: 500 });
    await rollUpInto(out);

    const tables = await rollupTablesIn(out);
    try {
      const teams = await tables.query('SELECT DISTINCT team, user_email FROM team_usage ORDER BY team, user_email NULLS LAST');
      expect(teams).toEqual([
        { team: 'team-payments', user_email: 'dev@example.com' },
        { team: 'unassigned', user_email: null },
      ]);
      const sums = TOKEN_FIELDS.map((c) => `sum(${c})::BIGINT AS ${c}`).join(', ');
      const byTeam = await tables.query(`SELECT team, ${sums} FROM team_usage GROUP BY team`);
      const total = (rows: readonly Record<string, unknown>[]) => Object.fromEntries(TOKEN_FIELDS.map((c) => [c, rows.reduce((sum, row) => sum + Number(row[c]), 0)]));
      expect(total(byTeam)).toEqual(Object.fromEntries(TOKEN_FIELDS.map((c) => [c, storeTotals?.[c]])));

      const coverage = await tables.query('SELECT user_email, coverage FROM claude_code_coverage ORDER BY user_email');
      expect(coverage).toEqual([
        { user_email: 'dev@example.com', coverage: 'both' },
        { user_email: 'ghost@example.com', coverage: 'analytics_only' },
      ]);
    } finally {
      await tables.close();
    }
    const teamMap = JSON.parse(readFileSync(join(out, 'team_map', 'latest.json'), 'utf8')) as unknown;
    expect(JSON.stringify(teamMap)).toContain('"dev@example.com"');
    expect(JSON.stringify(teamMap)).not.toContain('nobody@example.com');
    // Several pages each, plus the refused attempts that were retried.
    expect(anthropic.calls.usageReport).toBe(3);
    expect(okta.calls.members).toBeGreaterThan(4);
    expect(clock.sleeps.length).toBeGreaterThanOrEqual(2);
  });

  it('leaves identical files when the same day runs again', async () => {
    const before = filesIn(out);
    await rollUpInto(out);
    expect(filesIn(out)).toEqual(before);
  });

  it('fails loudly and writes nothing of the day when Okta keeps failing', async () => {
    const failed = mkdtempSync(join(tmpdir(), 'seatmeter-rollup-e2e-failed-'));
    okta.failNext('groups', ...Array.from({ length: 6 }, () => ({ status: 503 })));
    const run = rollUpInto(failed);
    await expect(run).rejects.toBeInstanceOf(RollupDayError);
    await expect(run).rejects.toThrow(/Okta/);
    expect(existsSync(join(failed, 'team_usage'))).toBe(false);
    expect(readdirSync(failed)).toEqual([]);
  });
});
