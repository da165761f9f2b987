import { SqlTelemetryCoverage } from '../../../lambdas/import/coverage-sql.ts';
import { sessionKey } from '../../../lambdas/import/coverage.ts';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import type { PutRecordBatchCommandInput } from '@aws-sdk/client-firehose';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestOtlp } from '../../../lambdas/ingest/ingest.ts';
import { defaultPriceBook } from '../../../lambdas/pricing/default-price-book.ts';
import { parquetTable } from '../../../lambdas/rollup/output/parquet.ts';
import { LocalDatabase } from '../../../lambdas/store/duckdb/database.ts';
import { FirehoseRecordStore } from '../../../lambdas/store/lake/firehose-record-store.ts';
import { LAKE_COLUMNS, LAKE_PARTITION, LAKE_RAW_TABLE, LAKE_VIEW, lakeViewSql } from '../../../lambdas/store/lake/layout.ts';
import { dayUsageFromRows } from '../../../lambdas/rollup/day-usage-rows.ts';
import { dayUsageSql } from '../../../lambdas/rollup/day-usage-sql.ts';
import { DuckDbDayUsageSource } from '../../../lambdas/store/duckdb/day-usage-reader.ts';
import { lakeDialect } from '../../../lambdas/store/lake/athena-dialect.ts';
import { localStoreWithCaptures } from '../../support/local-store.ts';
import { ATHENA_FLAVOR, usageBoard } from '../../../bin/dashboards/usage-board.ts';
import type { Dashboard } from '../../../bin/dashboards/grafana-model.ts';
import { PROBE_TOOL } from '../../../lambdas/probe/constants.ts';
import { lakeProbeQuery } from '../../../lambdas/store/lake/probe-reader.ts';
import { usage } from '../../support/records.ts';
import { InMemorySeriesStateStore } from '../../../lambdas/temporality/series-state.ts';
import { CAPTURES, loadCapture } from '../../support/captures.ts';
import { FIXTURE_TOTALS } from '../../support/fixture-totals.ts';

const firehose = mockClient(FirehoseClient);
afterAll(() => firehose.restore());

type Row = Record<string, string | number | null>;
// The day after the captures, so the day's totals below are the captures' alone.
const PROBE_AT = Date.parse('2026-11-23T10:30:00Z');
const PROBE_SESSION = 'doctor-0b7c8f2e-2d1a-4c57-9c43-6f0e1c2b3a4d';
/** Every row Firehose was handed, one entry per delivery: repeats included. */
const delivered: Row[] = [];

beforeAll(async () => {
  firehose.on(PutRecordBatchCommand).callsFake((input: PutRecordBatchCommandInput) => {
    for (const record of input.Records ?? []) {
      for (const line of new TextDecoder().decode(record.Data).split('\n')) if (line !== '') delivered.push(JSON.parse(line) as Row);
    }
    return { FailedPutCount: 0, RequestResponses: (input.Records ?? []).map(() => ({ RecordId: 'r' })) };
  });
  const ports = { store: new FirehoseRecordStore({ client: new FirehoseClient({}), streamName: 'lake' }), state: new InMemorySeriesStateStore(), pricer: defaultPriceBook() };
  // Doctor's probe, accepted twice (doctor retried): its read-back must count one record.
  for (let attempt = 0; attempt < 2; attempt += 1) await ports.store.write([usage({ id: 'probe-1', time_ms: PROBE_AT, tool: PROBE_TOOL, session_id: PROBE_SESSION })]);
  // At least once: every capture, then all of them again in reverse (client retries, a replay from the archive).
  const ids = CAPTURES.map(([id]) => id);
  for (const id of [...ids, ...[...ids].reverse()]) {
    const capture = loadCapture(id);
    await ingestOtlp({ body: capture.body, contentType: capture.contentType, contentEncoding: capture.contentEncoding, pathHint: capture.path }, ports);
  }
});

/**
 * What Firehose's record format conversion writes from those rows: Parquet typed by the Glue table (the lake
 * columns), under `dt=<day>/`, in files of its buffer's choosing — here one per delivery half, so repeats of a
 * record sit in different files of one partition.
 */
function writeLake(rows: readonly Row[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'seatmeter-lake-'));
  const columns = LAKE_COLUMNS.map((column) => ({ name: column.name, type: column.type, nullable: !['measure_name', 'record_id', 'time_ms'].includes(column.name) }));
  const halves = [rows.slice(0, Math.ceil(rows.length / 2)), rows.slice(Math.ceil(rows.length / 2))];
  halves.forEach((half, file) => {
    const days = new Map<string, Row[]>();
    for (const row of half) days.set(String(row[LAKE_PARTITION]), [...(days.get(String(row[LAKE_PARTITION])) ?? []), row]);
    for (const [day, dayRows] of days) {
      const partition = join(dir, LAKE_RAW_TABLE, `${LAKE_PARTITION}=${day}`);
      mkdirSync(partition, { recursive: true });
      writeFileSync(join(partition, `part-${file}.parquet`), parquetTable(columns as never, dayRows as never));
    }
  });
  return dir;
}

/**
 * What Grafana and the Athena plugin (pkg/athena/macros.go) do to a board query before Athena sees it, with
 * every filter at All, then DuckDB's names for Presto's functions. A leftover macro or variable throws.
 */
function athenaToDuckDb(sql: string, board: Dashboard, fromMs: number, toMs: number): string {
  const stamp = (ms: number) => `TIMESTAMP '${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}'`;
  const allValues = new Map(board.templating.list.map((variable) => [variable.name, String((variable as { allValue?: string }).allValue ?? '')]));
  const out = sql
    .replace(/\$\{(\w+):sqlstring\}/g, (_, name: string) => {
      const value = allValues.get(name);
      if (value === undefined || value === '') throw new Error(`no all value for $${name}`);
      return value;
    })
    .replaceAll("'$__interval'", "'1h'")
    .replace(/\$__timeGroup\((\w+), '1h'\)/g, (_, column: string) => `to_timestamp(floor(epoch(${column}) / 3600) * 3600)`)
    .replace(/\$__timeFilter\((\w+)\)/g, (_, column: string) => `${column} BETWEEN ${stamp(fromMs)} AND ${stamp(toMs)}`)
    .replaceAll('$__timeFrom()', stamp(fromMs))
    .replaceAll('$__timeTo()', stamp(toMs))
    .replaceAll('date_format(', 'strftime(')
    .replace(/FROM events\b/g, 'FROM lake.events');
  if (out.includes('$')) throw new Error(`untranslated: ${out}`);
  return out;
}

describe('the lake layout on the captured fixtures, delivered at least once', () => {
  it('counts every record once through the view, to the token and the README totals, though Firehose got repeats', async () => {
    expect(delivered.length).toBeGreaterThan(new Set(delivered.map((row) => row.record_id)).size);
    const dir = writeLake(delivered);
    const database = await LocalDatabase.inMemory();
    try {
      // A schema of its own: the local database's temp view `events` would shadow the lake's.
      await database.query('CREATE SCHEMA lake');
      await database.query(`CREATE VIEW lake.${LAKE_RAW_TABLE} AS SELECT * FROM read_parquet('${join(dir, LAKE_RAW_TABLE)}/*/*.parquet', hive_partitioning = true, hive_types = {'dt': VARCHAR})`);
      // DuckDB's name for Athena's from_unixtime; the rest of the view is the Athena SQL as deployed.
      await database.query(lakeViewSql('lake', (millis) => `to_timestamp(${millis} / 1000.0)`));
      const rows = await database.query(
        `SELECT user_email, tool, model, sum(input_tokens) AS input, sum(cache_read_tokens) AS cache_read, sum(cache_write_tokens) AS cache_write, sum(output_tokens) AS output, sum(reasoning_tokens) AS reasoning, sum(estimated_cost_usd) AS cost FROM lake.${LAKE_VIEW} WHERE measure_name = 'usage' AND ${LAKE_PARTITION} = '2026-11-22' GROUP BY ALL`,
      );
      const got = rows.map((row) => [row.user_email ?? null, row.tool, row.model, Number(row.input), Number(row.cache_read), Number(row.cache_write), Number(row.output), Number(row.reasoning), Math.round(Number(row.cost) * 1e9) / 1e9]);
      const want = FIXTURE_TOTALS.map((row) => [...row.slice(0, 8), Math.round(row[8] * 1e9) / 1e9]);
      const key = (row: readonly unknown[]) => row.slice(0, 3).join('|');
      expect([...got].sort((a, b) => (key(a) < key(b) ? -1 : 1))).toEqual([...want].sort((a, b) => (key(a) < key(b) ? -1 : 1)));
      const [{ raw, distinct } = { raw: 0, distinct: 0 }] = (await database.query(`SELECT count(*) AS raw, count(DISTINCT record_id) AS distinct FROM lake.${LAKE_RAW_TABLE}`)) as { raw: number; distinct: number }[];
      const [viewed] = await database.query(`SELECT count(*) AS rows, CAST(min(time) AS VARCHAR) AS first FROM lake.${LAKE_VIEW}`);
      expect(Number(raw)).toBeGreaterThan(Number(distinct));
      expect(Number(viewed?.rows)).toBe(Number(distinct));
      expect(String(viewed?.first)).toContain('2026-11-22');

      // The rollup's day, read from the lake with the Athena dialect, is the day the local store reads.
      const sql = dayUsageSql(lakeDialect('lake'), '2026-11-22');
      const lake = dayUsageFromRows({ lines: await database.query(sql.lines), sessions: await database.query(sql.sessions), activity: await database.query(sql.activity) });
      const local = await localStoreWithCaptures();
      try {
        const expected = await new DuckDbDayUsageSource(local).readDay('2026-11-22');
        // Sums of doubles in a parallel scan differ in the last bits with the order they are added in.
        const sorted = <T>(rows: readonly T[]) => [...rows].map((row) => JSON.stringify(row, (_key, value: unknown) => (typeof value === 'number' ? Math.round(value * 1e9) / 1e9 : value))).sort();
        expect(sorted(lake.lines)).toEqual(sorted(expected.lines));
        expect(sorted(lake.sessions)).toEqual(sorted(expected.sessions));
        expect(sorted(lake.activity)).toEqual(sorted(expected.activity));
        expect(lake.lines.length).toBeGreaterThan(0);
      } finally {
        await local.close();
      }

      // What `seatmeter import` asks the lake: the sessions and request ids its telemetry delivered.
      const coverage = new SqlTelemetryCoverage(async () => lakeDialect('lake'), (text) => database.query(text));
      const seen = await coverage.seen({
        sessions: new Map([
          ['claude_code', ['9f5b2137-8c83-4756-8db9-136e5d39e200', 'never-sent']],
          ['codex', ['01a202c6-c23e-72c2-b10f-c57b88fdd44e']],
        ]),
        requestIds: ['req_fake_1', 'req_never'],
        slices: [],
        fromMs: Date.parse('2026-11-21T00:00:00Z'),
        toMs: Date.parse('2026-11-24T00:00:00Z'),
      });
      expect([...seen.sessions].sort()).toEqual([sessionKey('claude_code', '9f5b2137-8c83-4756-8db9-136e5d39e200'), sessionKey('codex', '01a202c6-c23e-72c2-b10f-c57b88fdd44e')]);
      expect([...seen.requestIds]).toEqual(['req_fake_1']);

      // The Athena usage board, every query of it, on the lake: Grafana's and the plugin's expansions done here.
      const board = usageBoard(ATHENA_FLAVOR);
      const queries = board.panels.flatMap((panel) => (panel.targets ?? []).map((target) => (target as { rawSQL?: string }).rawSQL)).filter((sql): sql is string => sql !== undefined);
      expect(queries.length).toBeGreaterThan(10);
      const expand = (sql: string) => athenaToDuckDb(sql, board, Date.parse('2026-11-22T00:00:00Z'), Date.parse('2026-11-23T00:00:00Z'));
      for (const sql of queries) await database.query(expand(sql));
      // Doctor's read-back, the deployed query as it is (DuckDB reads the quoted names alike).
      const probe = await database.query(lakeProbeQuery('lake', PROBE_SESSION, PROBE_AT + 60_000));
      expect(probe.map((row) => [row.measure_name, Number(row.records)])).toEqual([['usage', 1]]);
      const overviewSql = queries.find((sql) => sql.includes('AS total_tokens')) ?? '';
      const [overview] = await database.query(expand(overviewSql));
      expect(Number(overview?.total_tokens)).toBe(84_896);
      expect(Number(overview?.estimated_cost_usd)).toBeCloseTo(FIXTURE_TOTALS.reduce((sum, row) => sum + row[8], 0), 9);
    } finally {
      await database.close();
    }
  });
});
