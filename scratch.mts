import { DuckDBInstance } from '@duckdb/node-api';
import { fixtureDataDir, FIXTURE_DAY } from './test/support/fixture-store.ts';
import { InMemoryAnalyticsSource, InMemoryTeamDirectory } from './test/support/rollup-sources.ts';
import { LocalDatabase } from './lambdas/store/duckdb/database.ts';
import { DuckDbDayUsageSource } from './lambdas/store/duckdb/day-usage-reader.ts';
import { FolderRollupOutput } from './lambdas/rollup/output/folder-output.ts';
import { rollupDays } from './lambdas/rollup/rollup.ts';
import { defaultPriceBook } from './lambdas/pricing/default-price-book.ts';
const dir = await fixtureDataDir();
const db = await LocalDatabase.open(dir, { readOnly: true });
const out = '/tmp/rollup-scratch/out';
const t0 = Date.now();
const s = await rollupDays([FIXTURE_DAY], { kind: 'prefix', prefix: 'team-' }, {
  usage: new DuckDbDayUsageSource(db),
  analytics: new InMemoryAnalyticsSource([{ day: FIXTURE_DAY, actor: { kind: 'user', email: 'Dev@Example.com' }, customer_type: 'api', sessions: 5, lines_added: 1, lines_removed: 0, commits: 0, pull_requests: 0, models: [{ model: 'claude-opus-4-8', input_tokens: 7000, output_tokens: 300, cache_read_tokens: 40000, cache_write_tokens: 1800, estimated_cost_usd: 0.07 }] }]),
  directory: new InMemoryTeamDirectory({ 'team-payments': ['DEV@example.com'] }),
  pricer: defaultPriceBook(),
  output: new FolderRollupOutput(out),
});
console.log(JSON.stringify(s, null, 1), Date.now() - t0);
const inst = await DuckDBInstance.create(':memory:'); const c = await inst.connect();
for (const t of ['team_usage', 'claude_code_analytics', 'claude_code_coverage']) {
  const r = await c.runAndReadAll(`SELECT * FROM read_parquet('${out}/${t}/*/*.parquet', hive_partitioning=true, hive_types={'dt': VARCHAR})`);
  console.log(t); console.table(r.getRowObjectsJS());
  const d = await c.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${out}/${t}/*/*.parquet', hive_partitioning=true, hive_types={'dt': VARCHAR})`);
  console.log(d.getRowObjectsJS().map(r => `${r.column_name}:${r.column_type}`).join(' '));
}
