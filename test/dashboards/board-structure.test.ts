/**
 * The committed boards as Grafana would load them: panels that fit the grid and do not overlap, ids used
 * once, every variable a query uses defined, every usage query naming only what the Timestream table holds
 * and summing deltas, every pipeline metric one the receiver or the rollup really emits.
 */
import { readFileSync } from 'node:fs';
import { BUDGET_STATUS_PATH } from '../../lambdas/http-answers/budget-answers.ts';
import { parseBudget } from '../../lambdas/budgets/definition.ts';
import { budgetStatus } from '../../lambdas/local/budget-api.ts';
import { DuckDbAlertLedger } from '../../lambdas/store/duckdb/alert-ledger.ts';
import { DuckDbBudgetBook } from '../../lambdas/store/duckdb/budget-book.ts';
import { DuckDbSpendSource } from '../../lambdas/store/duckdb/spend-reader.ts';
import { localStoreWithCaptures } from '../support/local-store.ts';
import { describe, expect, it } from 'vitest';
import { DASHBOARD_DATASOURCE } from '../../bin/dashboards/grafana-model.ts';
import type { Dashboard, Panel, Target } from '../../bin/dashboards/grafana-model.ts';
import { CLOUDWATCH_PLUGIN, RECEIVER_SERVICE } from '../../bin/dashboards/pipeline-board.ts';
import { ATHENA_PLUGIN } from '../../bin/dashboards/athena-sql.ts';
import { ATHENA_FLAVOR, INFINITY_PLUGIN, TIMESTREAM_FORMAT, TIMESTREAM_PLUGIN, usageBoard } from '../../bin/dashboards/usage-board.ts';
import { metricsNamespaceFrom } from '../../lambdas/metrics/namespace.ts';
import { requestMetricsDocument } from '../../lambdas/receiver/request-metrics.ts';
import { RECORD_KINDS, columnsOf } from '../../lambdas/records/schema.ts';
import type { RecordKind } from '../../lambdas/records/schema.ts';
import { COST_NOTE, FILTER_COLUMNS, filterMatch } from '../../lambdas/report/usage-panels.ts';
import { ROLLUP_METRICS, ROLLUP_SERVICE } from '../../lambdas/rollup-lambda/run-metrics.ts';
import { RECORD_ID_DIMENSION, layoutOf } from '../../lambdas/store/timestream/layout.ts';
import { committedBoard, panelById, panelTitled, pipelineBoardFile, timestreamPanels, timestreamQuery, usageBoardFile } from './board-files.ts';

const usage = usageBoardFile();
const pipeline = pipelineBoardFile();

/** Every string anywhere in a JSON value. */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}

const overlaps = (a: Panel, b: Panel) =>
  a.gridPos.x < b.gridPos.x + b.gridPos.w && b.gridPos.x < a.gridPos.x + a.gridPos.w && a.gridPos.y < b.gridPos.y + b.gridPos.h && b.gridPos.y < a.gridPos.y + a.gridPos.h;

describe.each([
  ['seatmeter-usage.json', usage],
  ['seatmeter-pipeline.json', pipeline],
  ['seatmeter-features-athena.json', committedBoard('seatmeter-features-athena.json')],
])('%s', (_file, board: Dashboard) => {
  it('numbers every panel once and lays them on the 24-column grid without overlap', () => {
    const ids = board.panels.map((panel) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const panel of board.panels) expect(panel.gridPos.x + panel.gridPos.w).toBeLessThanOrEqual(24);
    const clashes = board.panels.flatMap((a, i) => board.panels.slice(i + 1).filter((b) => overlaps(a, b)).map((b) => `${a.title} / ${b.title}`));
    expect(clashes).toEqual([]);
  });

  it('defines every variable its queries use, and uses every variable it defines', () => {
    const defined = board.templating.list.map((variable) => variable.name);
    const used = new Set(stringsIn({ panels: board.panels, variables: board.templating.list }).flatMap((text) => [...text.matchAll(/\$\{?([A-Za-z]\w*)/g)].map((match) => match[1])));
    expect([...used].sort()).toEqual([...defined].sort());
  });

  it('gives every query panel the data source picked by its variable ($datasource, or $budgets for the budgets), or another panel’s results', () => {
    const pluginOf = (name: string) => board.templating.list.find((variable) => variable.name === name)?.query;
    for (const panel of board.panels.filter((candidate) => candidate.targets !== undefined)) {
      const variable = panel.datasource?.uid === '${budgets}' ? 'budgets' : 'datasource';
      const expected = panel.datasource?.uid === DASHBOARD_DATASOURCE.uid ? DASHBOARD_DATASOURCE : { type: pluginOf(variable), uid: `\${${variable}}` };
      expect([panel.title, panel.datasource, ...(panel.targets ?? []).map((target) => target.datasource)]).toEqual([panel.title, expected, ...(panel.targets ?? []).map(() => expected)]);
    }
  });
});

/** The columns a record of `kind` has in the Timestream table, as the writer lays it out. */
function timestreamColumns(kind: RecordKind): Set<string> {
  const { dimensions, measures } = layoutOf(kind);
  return new Set(['measure_name', 'time', RECORD_ID_DIMENSION, ...[...dimensions, ...measures].map((column) => column.name)]);
}

const KEYWORDS = new Set(['select', 'from', 'where', 'and', 'or', 'in', 'as', 'group', 'by', 'order', 'asc', 'desc', 'case', 'when', 'then', 'else', 'end', 'is', 'not', 'null', 'distinct', 'bigint', 'double', 'varchar']);
/** Sums and counts of deltas, and the scalar functions around them: no rate(), avg() or max() over counters. */
const FUNCTIONS = new Set(['sum', 'count', 'coalesce', 'nullif', 'cast', 'date_trunc', 'bin']);

/**
 * What a query reads: its record kind, the functions it calls, and the names it uses as columns — outside
 * ORDER BY those must be table columns; ORDER BY may also name the query's own output columns.
 */
function anatomy(sql: string) {
  const kinds = [...sql.matchAll(/measure_name = '(\w+)'/g)].map((match) => match[1]);
  const bare = sql.replace(/'(?:[^']|'')*'/g, "''").replace(/\$\{\w+(?::\w+)?\}|\$__\w+(?:\.\$__\w+)?/g, ' ');
  const [body = '', orderBy = ''] = bare.split(/\bORDER BY\b/);
  const aliases = new Set([...body.matchAll(/\bAS (\w+)/g)].map((match) => match[1]));
  const namesIn = (text: string) =>
    [...text.replace(/\bAS \w+/g, ' ').matchAll(/\b([A-Za-z_]\w*)\b(?!\()/g)].map((match) => match[1] ?? '').filter((name) => !KEYWORDS.has(name.toLowerCase()));
  const functions = [...bare.matchAll(/\b(\w+)\(/g)].map((match) => (match[1] ?? '').toLowerCase());
  return { kinds, functions, names: [...namesIn(body), ...namesIn(orderBy).filter((name) => !aliases.has(name))] };
}

const usageQueries = (): [string, string][] => [
  ...timestreamPanels(usage).map((panel): [string, string] => [panel.title, timestreamQuery(panel).rawQuery]),
  ...usage.templating.list.flatMap((variable): [string, string][] => (variable.type === 'query' ? [[`$${variable.name}`, String(variable.query)]] : [])),
];

describe('the usage board queries', () => {
  it.each(usageQueries())('%s reads one record kind from the data source table, over the dashboard range', (_title, sql) => {
    const { kinds } = anatomy(sql);
    expect(kinds).toHaveLength(1);
    expect(RECORD_KINDS).toContain(kinds[0]);
    expect(sql).toContain('FROM $__database.$__table');
    expect(sql).toContain('$__timeFilter');
  });

  it.each(usageQueries())('%s names only columns the Timestream table holds for its kind, and only sums and counts', (_title, sql) => {
    const { kinds, functions, names } = anatomy(sql);
    const columns = timestreamColumns((kinds[0] ?? 'usage') as RecordKind);
    expect(names.filter((name) => !columns.has(name))).toEqual([]);
    expect(functions.filter((name) => !FUNCTIONS.has(name))).toEqual([]);
  });

  it('would catch a query naming a column the table lacks, or taking a rate of a counter', () => {
    const { names, functions } = anatomy("SELECT rate(sum(input_tokens)) AS tokens, squad FROM $__database.$__table WHERE measure_name = 'usage' ORDER BY tokens, seats");
    expect(names.filter((name) => !timestreamColumns('usage').has(name))).toEqual(['squad', 'seats']);
    expect(functions.filter((name) => !FUNCTIONS.has(name))).toEqual(['rate']);
  });

  it('asks for the time series format exactly where a query buckets by the panel interval, in ascending time', () => {
    for (const panel of timestreamPanels(usage)) {
      const { rawQuery, format } = timestreamQuery(panel);
      const bucketed = rawQuery.includes('bin(time, $__interval_ms)');
      expect([panel.title, format]).toEqual([panel.title, bucketed ? TIMESTREAM_FORMAT.timeSeries : TIMESTREAM_FORMAT.table]);
      if (bucketed) expect(rawQuery).toMatch(/ORDER BY binned_time ASC/);
      expect(panel.targets?.[0]?.waitForResult).toBe(true);
    }
  });

  it('filters on developer, tool, model and repository, each multi-valued with an All that keeps records naming none', () => {
    const filters = usage.templating.list.filter((variable) => variable.type === 'query');
    expect(filters.map((variable) => [variable.name, variable.multi, variable.includeAll, variable.allValue])).toEqual(
      Object.entries(FILTER_COLUMNS).map(([name, column]) => [name, true, true, filterMatch(column)]),
    );
    for (const [title, sql] of usageQueries().filter(([title]) => !title.startsWith('$'))) {
      for (const [name, column] of Object.entries(FILTER_COLUMNS)) expect(sql, title).toContain(`${filterMatch(column)} IN (\${${name}:sqlstring})`);
    }
  });

  it('has a team filter over the team every record is stamped with at ingest', () => {
    for (const kind of RECORD_KINDS) expect(columnsOf(kind).map((column) => column.name)).toContain('team');
    expect(usage.templating.list.map((variable) => variable.name)).toContain('team');
  });

  it('feeds every panel that shows another panel’s results from a panel that runs its own Timestream query', () => {
    const reusing = usage.panels.filter((panel) => typeof panel.targets?.[0]?.panelId === 'number');
    expect(reusing.length).toBeGreaterThan(0);
    for (const panel of reusing) expect(() => timestreamQuery(panelById(usage, Number(panel.targets?.[0]?.panelId)))).not.toThrow();
  });

  it('says next to the cost, in plain sight and in the local page’s words, that it is API list price', () => {
    expect(readFileSync(new URL('../../dashboards/local/panels/overview.js', import.meta.url), 'utf8')).toContain(`COST_NOTE = '${COST_NOTE}'`);
    const notes = usage.panels.filter((panel) => panel.type === 'text').map((panel) => JSON.stringify(panel.options));
    expect(notes.some((note) => note.includes(COST_NOTE))).toBe(true);
    for (const title of ['Estimated cost', 'Estimated cost by developer', 'Estimated cost by model', 'Estimated cost by tool']) {
      expect(panelTitled(usage, title).description).toBe(COST_NOTE);
    }
  });
});

/** What the receiver's EMF line declares, read from a line it writes. */
function receiverLine(facts: Partial<Parameters<typeof requestMetricsDocument>[0]> = {}) {
  const document = requestMetricsDocument(
    { requestId: 'r', method: 'POST', path: '/v1/metrics', status: 200, outcome: 'ok', ms: 1, ...facts },
    { storageRetries: 0, seriesStateConflicts: 0 },
    0,
    metricsNamespaceFrom({}),
  );
  const declared = (document._aws as { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] }).CloudWatchMetrics[0];
  return { document, declared };
}

/** The seatmeter metrics the board charts; the lake row's are Firehose's own (see below). */
const metricTargets = (): Target[] => pipeline.panels.flatMap((panel) => (panel.targets ?? []).filter((target) => target.queryMode === 'Metrics' && target.namespace !== 'AWS/Firehose'));
const firehoseTargets = (): Target[] => pipeline.panels.flatMap((panel) => (panel.targets ?? []).filter((target) => target.namespace === 'AWS/Firehose'));

describe('the pipeline board', () => {
  it('charts the lake stream in Firehose\'s namespace, the metrics its alarms watch among them', () => {
    const charted = firehoseTargets();
    expect(new Set(charted.map((target) => JSON.stringify(target.dimensions)))).toEqual(new Set([JSON.stringify({ DeliveryStreamName: '$lake_stream' })]));
    expect(charted.map((target) => target.metricName)).toEqual(expect.arrayContaining(['DeliveryToS3.DataFreshness', 'ThrottledRecords', 'FailedConversion.Records']));
  });

  it('reads the receiver’s namespace and its only dimension, defaulting to what the receiver uses', () => {
    const { document, declared } = receiverLine();
    const namespace = pipeline.templating.list.find((variable) => variable.name === 'namespace');
    expect(namespace?.query).toBe(declared?.Namespace);
    expect(declared?.Dimensions).toEqual([['Service']]);
    expect(document.Service).toBe(RECEIVER_SERVICE);
    for (const target of metricTargets()) {
      expect(target.namespace).toBe('$namespace');
      expect(Object.keys(target.dimensions as object)).toEqual(['Service']);
      expect(target.datasource.type).toBe(CLOUDWATCH_PLUGIN);
    }
  });

  it('charts only metrics the receiver or the rollup emit, with statistics CloudWatch has', () => {
    const emitted: Readonly<Record<string, readonly string[]>> = {
      [RECEIVER_SERVICE]: receiverLine().declared?.Metrics.map((metric) => metric.Name) ?? [],
      [ROLLUP_SERVICE]: Object.values(ROLLUP_METRICS),
    };
    const charted = metricTargets().map((target) => [(target.dimensions as { Service: string }).Service, target.metricName, target.statistic] as const);
    for (const [service, metric] of charted) expect(emitted[service], `${service} ${metric}`).toContain(metric);
    for (const [, , statistic] of charted) expect(['Sum', 'Average', 'Maximum', 'p50', 'p99']).toContain(statistic);
    const shown = new Set(charted.map(([, metric]) => metric));
    expect([...(emitted[RECEIVER_SERVICE] ?? []), ...(emitted[ROLLUP_SERVICE] ?? [])].filter((metric) => !shown.has(metric))).toEqual([]);
  });

  it('groups rejected points by the reasons the receiver logs, parsed out of a line the receiver writes', () => {
    const logs = pipeline.panels.flatMap((panel) => (panel.targets ?? []).filter((target) => target.queryMode === 'Logs'));
    expect(logs).toHaveLength(1);
    const expression = String(logs[0]?.expression);
    const pattern = /\| parse @message \/(.+)\/\n/.exec(expression)?.[1] ?? '';
    const reasons = { 'claude_code.token.usage: unknown type "x"': 2, 'no timestamp': 1 };
    const line = JSON.stringify(receiverLine({ rejected: 3, rejectedReasons: reasons }).document);
    expect(JSON.parse(new RegExp(pattern).exec(line)?.groups?.reasons ?? 'null')).toEqual(reasons);
    expect(JSON.parse(line).rejected).toBe(3);
    expect(expression).toMatch(/^filter rejected > 0\n/);
  });
});

describe('the Athena usage board', () => {
  const athena = usageBoard(ATHENA_FLAVOR);
  it('has the Timestream board\'s panels, rows and variables, each store query on the Athena data source', () => {
    const shape = (board: Dashboard) => board.panels.map((panel) => [panel.type, panel.title, panel.gridPos]);
    expect(shape(athena)).toEqual(shape(usage));
    expect(athena.templating.list.map((variable) => variable.name)).toEqual(usage.templating.list.map((variable) => variable.name));
    const storePanels = athena.panels.filter((panel) => panel.datasource?.uid === '${datasource}');
    expect(storePanels.length).toBeGreaterThan(10);
    for (const panel of storePanels) {
      expect(panel.datasource?.type).toBe(ATHENA_PLUGIN);
      for (const target of panel.targets ?? []) expect(String((target as { rawSQL?: string }).rawSQL)).toMatch(/FROM events\nWHERE measure_name = '\w+'\n {2}AND \$__timeFilter\(time\)\n {2}AND dt BETWEEN/);
    }
  });
});

describe('the provisioning examples', () => {
  const datasources = readFileSync(new URL('../../dashboards/grafana/provisioning/datasources/seatmeter.yaml', import.meta.url), 'utf8');

  it('provision the plugins the boards pick from, the Timestream one with the one-table layout as its default', () => {
    expect(datasources).toContain(`type: ${TIMESTREAM_PLUGIN}`);
    expect(datasources).toContain(`type: ${CLOUDWATCH_PLUGIN}`);
    expect(datasources).toContain(`type: ${INFINITY_PLUGIN}`);
    expect(datasources).toContain(`type: ${ATHENA_PLUGIN}`);
    expect(datasources).toMatch(/defaultTable: events\n/);
    expect(datasources).toContain(`customMetricsNamespaces: ${metricsNamespaceFrom({})}`);
  });

  it('reads the budgets row from the receiver\'s budget status, every column one the status answers', async () => {
    const panel = usage.panels.find((candidate) => candidate.title.startsWith('Budgets this period'));
    const target = panel?.targets?.[0] as { url?: string; root_selector?: string; columns?: { selector: string }[] } | undefined;
    expect([target?.url, target?.root_selector]).toEqual([`\${receiver}${BUDGET_STATUS_PATH}`, 'budgets']);
    const database = await localStoreWithCaptures();
    try {
      const book = new DuckDbBudgetBook(database);
      await book.put(parseBudget({ name: 'org', scope: 'org', period: 'month', limit_usd: 10 }));
      const [entry] = await budgetStatus({ book, alerts: new DuckDbAlertLedger(database), spends: new DuckDbSpendSource(database), now: () => Date.parse('2026-11-22T12:00:00Z') });
      expect((target?.columns ?? []).map((column) => column.selector).filter((selector) => !(selector in (entry ?? {})))).toEqual([]);
    } finally {
      await database.close();
    }
  });
});
