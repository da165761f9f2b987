import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { parseBudget } from '../../../lambdas/budgets/definition.ts';
import type { Budget } from '../../../lambdas/budgets/definition.ts';
import { foldLedger, wantedMeters, MAX_FOLD_SPAN_MS } from '../../../lambdas/budgets/ledger/fold.ts';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../../lambdas/budgets/ledger/ledger-cells.ts';
import { LedgerSpendSource } from '../../../lambdas/budgets/ledger/ledger-spend-source.ts';
import { LedgerWriter } from '../../../lambdas/budgets/ledger/ledger-writer.ts';
import type { SpendQuery } from '../../../lambdas/budgets/spend.ts';
import { TeamMap } from '../../../lambdas/budgets/team-map.ts';
import { ingestOtlp } from '../../../lambdas/ingest/ingest.ts';
import type { IngestPorts } from '../../../lambdas/ingest/ingest.ts';
import { defaultPriceBook } from '../../../lambdas/pricing/default-price-book.ts';
import { LocalDatabase } from '../../../lambdas/store/duckdb/database.ts';
import { DuckDbSeriesStateStore } from '../../../lambdas/store/duckdb/series-state-store.ts';
import { DuckDbSpendSource } from '../../../lambdas/store/duckdb/spend-reader.ts';
import { DynamoDbLedgerTable } from '../../../lambdas/store/dynamodb/ledger-table.ts';
import { CAPTURES, loadCapture } from '../../support/captures.ts';
import { FakeBudgetsTable } from '../../support/fake-budgets-table.ts';
import { openRecordStore } from '../../support/record-store.ts';
import { usage } from '../../support/records.ts';

const dynamodb = mockClient(DynamoDBClient);
const fake = new FakeBudgetsTable();
beforeEach(() => {
  dynamodb.reset();
  fake.install(dynamodb);
});
afterAll(() => dynamodb.restore());

const DAY = Date.parse('2026-11-22T00:00:00Z');
/** After the captured day: every capture written now is late, as an archive replay is. */
const AFTER = Date.parse('2026-11-23T01:00:00Z');
const TEAMS = new TeamMap(new Map([['dev@example.com', 'payments']]));

const budget = (name: string, fields: Record<string, unknown>): Budget => parseBudget({ name, period: 'month', limit_usd: 100, ...fields });

interface Pipeline {
  readonly database: LocalDatabase;
  readonly table: DynamoDbLedgerTable;
  readonly clock: { now: number };
  ingest(ids: readonly string[]): Promise<void>;
}

async function pipeline(): Promise<Pipeline> {
  const database = await LocalDatabase.inMemory();
  const clock = { now: AFTER };
  const table = new DynamoDbLedgerTable({ client: new DynamoDBClient({}), tableName: 'budgets', now: () => clock.now });
  const ports: IngestPorts = {
    store: await openRecordStore(database),
    state: new DuckDbSeriesStateStore(database),
    pricer: defaultPriceBook(),
    teams: { current: async () => TEAMS },
    ledger: new LedgerWriter(table, () => clock.now),
  };
  const ingest = async (ids: readonly string[]) => {
    for (const id of ids) {
      const capture = loadCapture(id);
      await ingestOtlp({ body: capture.body, contentType: capture.contentType, contentEncoding: capture.contentEncoding, pathHint: capture.path }, ports);
    }
  };
  return { database, table, clock, ingest };
}

/** Every scope, tool and model the captures hold, each as a month budget. */
async function budgetsOf(database: LocalDatabase): Promise<Budget[]> {
  const rows = await database.query('SELECT DISTINCT lower(user_email) AS user, team, repo, tool, model FROM usage');
  const budgets = [budget('org', { scope: 'org' })];
  const seen = new Set<string>();
  const add = (scope: string, extra: Record<string, unknown> = {}) => {
    const key = scope + JSON.stringify(extra);
    if (seen.has(key)) return;
    seen.add(key);
    budgets.push(budget(`b${seen.size}`, { scope, ...extra }));
  };
  for (const row of rows) {
    if (row.user !== null) add(`user:${String(row.user)}`);
    if (row.team !== null) add(`team:${String(row.team)}`);
    // A repo known only by its directory name cannot be a budget's scope.
    if (row.repo !== null && String(row.repo).includes('/')) add(`repo:${String(row.repo)}`);
    add('org', { tool: String(row.tool) });
    add('org', { model: String(row.model) });
  }
  return budgets;
}

const RANGES = [
  { startMs: DAY, endMs: DAY + DAY_MS },
  { startMs: Date.parse('2026-11-01T00:00:00Z'), endMs: Date.parse('2026-12-01T00:00:00Z') },
  { startMs: DAY + 10 * HOUR_MS, endMs: DAY + 10 * HOUR_MS + 30 * MINUTE_MS },
  // A day in New York: it starts at 05:00 UTC, so the fold's UTC day sums cover none of its edges.
  { startMs: DAY + 5 * HOUR_MS, endMs: DAY + 29 * HOUR_MS },
];

async function expectLedgerEqualsStore(database: LocalDatabase, table: DynamoDbLedgerTable, budgets: readonly Budget[]): Promise<number> {
  const store = new DuckDbSpendSource(database);
  const ledger = new LedgerSpendSource(table);
  let compared = 0;
  for (const entry of budgets) {
    for (const range of RANGES) {
      const query: SpendQuery = { scope: entry.scope, tool: entry.tool, model: entry.model, ...range };
      const [want, got] = [await store.spend(query), await ledger.spend(query)];
      expect({ budget: entry.name, range, tokens: got.tokens, unpriced: got.unpricedTokens, cents: Math.round(got.usd * 100) }).toEqual({
        budget: entry.name,
        range,
        tokens: want.tokens,
        unpriced: want.unpricedTokens,
        cents: Math.round(want.usd * 100),
      });
      expect(got.usd).toBeCloseTo(want.usd, 9);
      compared += 1;
    }
  }
  return compared;
}

const ids = CAPTURES.map(([id]) => id);

describe('the spend ledger', () => {
  it('equals the store for every scope, tool and model, before the first fold, after it, and after a replay out of order', async () => {
    const { database, table, clock, ingest } = await pipeline();
    await ingest(ids);
    const budgets = await budgetsOf(database);
    expect(budgets.length).toBeGreaterThan(6);
    expect((await new DuckDbSpendSource(database).spend({ scope: { kind: 'org' }, tool: null, model: null, startMs: DAY, endMs: DAY + DAY_MS })).tokens).toBe(84_896);

    expect(await expectLedgerEqualsStore(database, table, budgets)).toBe(budgets.length * RANGES.length);
    const first = await foldLedger(table, wantedMeters(budgets, clock.now), clock.now);
    expect(first.backfilled).toHaveLength(budgets.length);
    expect(fake.keys('late')).toEqual([]);
    await expectLedgerEqualsStore(database, table, budgets);

    clock.now += MINUTE_MS;
    await ingest([...ids].reverse());
    await ingest(ids);
    expect(fake.keys('late').length).toBeGreaterThan(0);
    clock.now += MINUTE_MS;
    const again = await foldLedger(table, wantedMeters(budgets, clock.now), clock.now);
    expect(again.backfilled).toEqual([]);
    expect(again.refolded).toBeGreaterThan(0);
    expect(fake.keys('late')).toEqual([]);
    await expectLedgerEqualsStore(database, table, budgets);
    await database.close();
  });

  it('counts exports that arrive after their minutes were folded once the next fold has run', async () => {
    const { database, table, clock, ingest } = await pipeline();
    const half = Math.floor(ids.length / 2);
    await ingest(ids.slice(0, half));
    const budgets = [budget('org', { scope: 'org' })];
    await foldLedger(table, wantedMeters(budgets, clock.now), clock.now);
    await ingest(ids.slice(half));
    clock.now += MINUTE_MS;
    await foldLedger(table, wantedMeters(budgets, clock.now), clock.now);
    await expectLedgerEqualsStore(database, table, budgets);
    await database.close();
  });

  it('writes one cell item per export and user-minute, and the same item again on a retry', async () => {
    const { database, ingest } = await pipeline();
    await ingest(ids);
    const cells = fake.keys('cell#');
    const [row] = await database.query('SELECT count(*) AS records FROM usage');
    expect(cells.length).toBeGreaterThan(0);
    expect(cells.length).toBeLessThan(Number(row?.records));
    await ingest(ids);
    expect(fake.keys('cell#')).toEqual(cells);
    await database.close();
  });
});

describe('the fold', () => {
  const table = () => new DynamoDbLedgerTable({ client: new DynamoDBClient({}), tableName: 'budgets', now: () => DAY });
  const org = [budget('org-day', { scope: 'org', period: 'day' })];
  const at = (iso: string, id: string, usd: number) => usage({ id, time_ms: Date.parse(iso), estimated_cost_usd: usd, input_tokens: 10, output_tokens: 0, cache_read_tokens: 0, cache_write_tokens: 0 });

  it('closes a UTC day into one sum when it passes midnight, and reads a range across it from day and minute sums', async () => {
    const ledger = table();
    const writer = new LedgerWriter(ledger, () => Date.parse('2026-11-22T23:59:30Z'));
    await writer.record([at('2026-11-21T12:00:00Z', 'a', 1), at('2026-11-22T23:58:10Z', 'b', 2), at('2026-11-22T23:59:10Z', 'c', 4)]);
    expect(fake.keys('late')).toEqual(['late|2026-11-21T12:00']);
    await foldLedger(ledger, wantedMeters(org, Date.parse('2026-11-22T23:59:50Z')), Date.parse('2026-11-22T23:59:50Z'));
    await new LedgerWriter(ledger, () => Date.parse('2026-11-23T00:01:20Z')).record([at('2026-11-23T00:01:00Z', 'd', 8)]);
    const run = await foldLedger(ledger, wantedMeters(org, Date.parse('2026-11-23T00:05:00Z')), Date.parse('2026-11-23T00:05:00Z'));
    expect(run.foldedThroughMs).toBe(Date.parse('2026-11-23T00:03:00Z'));
    expect(fake.keys('sum#').filter((key) => key.includes('|d#'))).toEqual(['sum#org|tool=*|model=*|d#2026-11-22']);
    const spends = new LedgerSpendSource(ledger);
    const spend = (from: string, to: string) => spends.spend({ scope: { kind: 'org' }, tool: null, model: null, startMs: Date.parse(from), endMs: Date.parse(to) });
    // The day budget's meter starts on the 22nd: a range before it is read from the cells.
    expect((await spend('2026-11-21T00:00:00Z', '2026-11-24T00:00:00Z')).usd).toBe(15);
    expect((await spend('2026-11-22T23:59:00Z', '2026-11-23T00:02:00Z')).usd).toBe(12);
    expect((await spend('2026-11-22T00:00:00Z', '2026-11-23T00:00:00Z')).usd).toBe(6);
    expect(await spend('2026-11-23T00:02:00Z', '2026-11-23T00:05:00Z')).toEqual({ usd: 0, tokens: 0, unpricedTokens: 0 });
  });

  it('counts a record once when a retry brought it again in a larger batch', async () => {
    const ledger = table();
    const writer = new LedgerWriter(ledger, () => DAY + 10 * MINUTE_MS);
    await writer.record([at('2026-11-22T00:01:00Z', 'a', 1)]);
    await writer.record([at('2026-11-22T00:01:00Z', 'a', 1), at('2026-11-22T00:01:30Z', 'b', 2)]);
    expect(fake.keys('cell#')).toHaveLength(2);
    const query = { scope: { kind: 'org' as const }, tool: null, model: null, startMs: DAY, endMs: DAY + HOUR_MS };
    expect((await new LedgerSpendSource(ledger).spend(query)).usd).toBe(3);
    await foldLedger(ledger, wantedMeters(org, DAY + 10 * MINUTE_MS), DAY + 10 * MINUTE_MS);
    expect((await new LedgerSpendSource(ledger).spend(query)).usd).toBe(3);
    expect(await new LedgerSpendSource(ledger).top(query, 'user', 5)).toEqual([{ key: 'dev@example.com', usd: 3, tokens: 20 }]);
  });

  it('catches up after an outage in runs of at most six hours', async () => {
    const ledger = table();
    await foldLedger(ledger, wantedMeters(org, DAY), DAY);
    await new LedgerWriter(ledger, () => DAY + HOUR_MS).record([at('2026-11-22T01:00:00Z', 'a', 1), at('2026-11-22T08:00:00Z', 'b', 2)]);
    const now = DAY + 9 * HOUR_MS;
    const first = await foldLedger(ledger, wantedMeters(org, now), now);
    expect(first.foldedThroughMs - DAY).toBeLessThanOrEqual(MAX_FOLD_SPAN_MS);
    const second = await foldLedger(ledger, wantedMeters(org, now), now);
    expect(second.foldedThroughMs).toBe(now - 2 * MINUTE_MS);
    expect((await new LedgerSpendSource(ledger).spend({ scope: { kind: 'org' }, tool: null, model: null, startMs: DAY, endMs: now })).usd).toBe(3);
  });

  it('keeps a late mark that a writer renewed while the fold read it', async () => {
    const ledger = table();
    await ledger.markLate([DAY]);
    const [mark] = await ledger.lateMarks();
    await ledger.markLate([DAY]);
    await ledger.clearLate(mark ?? { minuteMs: DAY, token: '' });
    expect(await ledger.lateMarks()).toHaveLength(1);
    const [renewed] = await ledger.lateMarks();
    await ledger.clearLate(renewed ?? { minuteMs: DAY, token: '' });
    expect(await ledger.lateMarks()).toEqual([]);
  });

  it('fails the write when DynamoDB does, so the receiver answers 503 and the client retries', async () => {
    dynamodb.reset();
    dynamodb.rejects(new Error('ProvisionedThroughputExceededException'));
    await expect(new LedgerWriter(table()).record([at('2026-11-22T01:00:00Z', 'a', 1)])).rejects.toThrow('ProvisionedThroughputExceededException');
  });
});
