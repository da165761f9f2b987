import { BUDGET_STATUS_PATH } from '../../lambdas/http-answers/budget-answers.ts';
import { COST_NOTE, USAGE_PANELS } from '../../lambdas/report/usage-panels.ts';
import type { UsagePanel } from '../../lambdas/report/usage-panels.ts';
import { board } from './grafana-model.ts';
import type { Dashboard, DataSourceRef, PanelSpec, RowSpec, Variable } from './grafana-model.ts';
import type { PanelSpec as Spec, Target } from './grafana-model.ts';
import { ATHENA_FORMAT, ATHENA_PLUGIN, athenaOptionsSql, athenaSql } from './athena-sql.ts';
import { FILTER_VARIABLES, filterOptionsSql, timestreamSql } from './timestream-sql.ts';

/** The board's one data source, chosen with the `$datasource` variable. */
export const TIMESTREAM_PLUGIN = 'grafana-timestream-datasource';

/** The Timestream data source's "Format as" (its query model's `format`): 0 table, 1 time series. */
export const TIMESTREAM_FORMAT = { table: 0, timeSeries: 1 } as const;

/**
 * The store a board is for: the same panels and variables, each query written in its data source's model.
 * Panels are built once with a target that names the shared definition; each board writes it in its store's model.
 */
export interface StoreFlavor {
  readonly plugin: string;
  readonly label: string;
  readonly target: (panel: UsagePanel, timeSeries: boolean) => Readonly<Record<string, unknown>>;
  /** A filter variable's query, in the data source's variable model. */
  readonly variableQuery: (column: string) => { readonly query: unknown; readonly definition: string };
}

export const TIMESTREAM_FLAVOR: StoreFlavor = {
  plugin: TIMESTREAM_PLUGIN,
  label: 'Timestream',
  // `waitForResult` has the data source fetch every page before the panel draws: never a partial sum.
  target: (panel, timeSeries) => ({ rawQuery: timestreamSql(USAGE_PANELS[panel]), format: timeSeries ? TIMESTREAM_FORMAT.timeSeries : TIMESTREAM_FORMAT.table, waitForResult: true }),
  variableQuery: (column) => ({ query: filterOptionsSql(column), definition: filterOptionsSql(column) }),
};

/** The data source's defaults (its provisioned region, catalog and database: the lake's). */
const ATHENA_ARGS = { region: '__default', catalog: '__default', database: '__default' };

export const ATHENA_FLAVOR: StoreFlavor = {
  plugin: ATHENA_PLUGIN,
  label: 'Athena',
  target: (panel, timeSeries) => ({ rawSQL: athenaSql(USAGE_PANELS[panel]), format: timeSeries ? ATHENA_FORMAT.timeSeries : ATHENA_FORMAT.table, connectionArgs: ATHENA_ARGS }),
  variableQuery: (column) => ({ query: { rawSQL: athenaOptionsSql(column), format: ATHENA_FORMAT.table, connectionArgs: ATHENA_ARGS }, definition: athenaOptionsSql(column) }),
};

/** The data source of a panel's store query, until `forStore` gives it the board's store. */
const STORE: DataSourceRef = { type: '<store>', uid: '${datasource}' };

type Unit = 'short' | 'currencyUSD' | 'percentunit';

/** The panel's query: one of the shared definitions, in the board's store (see `forStore`). */
function query(panel: UsagePanel, timeSeries = false): Pick<PanelSpec, 'datasource' | 'targets'> {
  return { datasource: STORE, targets: [{ refId: 'A', datasource: STORE, usagePanel: panel, timeSeries }] };
}

function forStore(spec: Spec, flavor: StoreFlavor): Spec {
  if (spec.datasource?.type !== STORE.type) return spec;
  const datasource: DataSourceRef = { type: flavor.plugin, uid: '${datasource}' };
  const targets = (spec.targets ?? []).map((target): Target => {
    const { usagePanel, timeSeries, ...rest } = target as Target & { usagePanel: UsagePanel; timeSeries: boolean };
    return { ...rest, datasource, ...flavor.target(usagePanel, timeSeries) };
  });
  return { ...spec, datasource, targets };
}

/** Either the panel's own query or another panel's results (one Timestream query, billed once, feeds both). */
type Source = { readonly key: UsagePanel } | { readonly reuses: UsagePanel };

function source(from: Source): Partial<PanelSpec> {
  return 'key' in from ? { key: from.key, ...query(from.key) } : { reuses: from.reuses };
}

function fieldDefaults(unit: Unit, extra: Readonly<Record<string, unknown>> = {}) {
  return { defaults: { unit, color: { mode: 'thresholds' }, thresholds: { mode: 'absolute', steps: [{ color: 'green', value: null }] }, ...extra }, overrides: [] };
}

/** A single number: one field of a one-row result. */
function stat(title: string, field: string, unit: Unit, from: Source, description: string, extra: Readonly<Record<string, unknown>> = {}): PanelSpec {
  return {
    type: 'stat',
    title,
    description,
    w: 4,
    h: 4,
    ...source(from),
    fieldConfig: fieldDefaults(unit, extra),
    options: {
      reduceOptions: { values: false, calcs: ['lastNotNull'], fields: `/^${field}$/` },
      colorMode: 'value',
      graphMode: 'none',
      justifyMode: 'auto',
      orientation: 'auto',
      textMode: 'value',
    },
  };
}

/** Rows of a grouped result as horizontal bars, largest first. */
function ranking(title: string, label: string, value: string, unit: Unit, from: Source, w: number, description: string): PanelSpec {
  return {
    type: 'barchart',
    title,
    description,
    w,
    h: 8,
    ...source(from),
    fieldConfig: fieldDefaults(unit),
    options: { orientation: 'horizontal', xField: label, showValue: 'auto', legend: { showLegend: false, displayMode: 'list', placement: 'bottom' }, tooltip: { mode: 'single' } },
    transformations: [
      { id: 'filterFieldsByName', options: { include: { names: [label, value] } } },
      { id: 'sortBy', options: { sort: [{ field: value, desc: true }] } },
    ],
  };
}

/** Sums per time bucket, one stacked series per group. */
function overTime(title: string, panel: UsagePanel, unit: Unit, description: string): PanelSpec {
  return {
    type: 'timeseries',
    title,
    description,
    w: 24,
    h: 8,
    ...query(panel, true),
    fieldConfig: { defaults: { unit, custom: { drawStyle: 'bars', fillOpacity: 80, stacking: { mode: 'normal', group: 'A' }, lineWidth: 1 } }, overrides: [] },
    options: { legend: { showLegend: true, displayMode: 'list', placement: 'bottom' }, tooltip: { mode: 'multi', sort: 'desc' } },
  };
}

const COST_TEXT = [
  `**Estimated cost** is the ${COST_NOTE}: every token priced at the provider's public API rate. Subscriptions,`,
  'committed-use discounts and negotiated prices bill less. Tokens of a model without a price are counted under',
  '**Unpriced tokens** and are not in any cost; they never count as $0.',
].join(' ');

/**
 * The budgets' standing comes from the receiver (`GET /v1/budgets`, a team credential), which answers from the
 * standings the alerts run publishes each minute: read through the Infinity data source, whose settings hold
 * the receiver's URL as allowed host and the team token as bearer (dashboards/grafana/provisioning).
 */
export const INFINITY_PLUGIN = 'yesoreyeram-infinity-datasource';
const INFINITY: DataSourceRef = { type: INFINITY_PLUGIN, uid: '${budgets}' };

const BUDGET_COLUMNS: readonly (readonly [selector: string, text: string, type: 'string' | 'number'])[] = [
  ['name', 'Budget', 'string'],
  ['scope', 'Scope', 'string'],
  ['period_key', 'Period', 'string'],
  ['used', 'Spent', 'number'],
  ['limit', 'Limit', 'number'],
  ['used_fraction', 'Used', 'number'],
  ['projected', 'Projected', 'number'],
  ['state', 'State', 'string'],
];

const budgetStanding: PanelSpec = {
  type: 'table',
  title: 'Budgets this period: spend against limit',
  description: 'Each budget in its current period (its own, whatever the board\'s range): spent and limit in its unit (USD or tokens), the share used, the end-of-period projection, and the state (capped stops the agents of a hard budget). As of the last alerts run, at most a minute old.',
  w: 24,
  h: 7,
  datasource: INFINITY,
  targets: [
    {
      refId: 'A',
      datasource: INFINITY,
      type: 'json',
      source: 'url',
      parser: 'backend',
      format: 'table',
      url: `\${receiver}${BUDGET_STATUS_PATH}`,
      url_options: { method: 'GET' },
      root_selector: 'budgets',
      columns: BUDGET_COLUMNS.map(([selector, text, type]) => ({ selector, text, type })),
    },
  ],
  fieldConfig: {
    defaults: { unit: 'short' },
    overrides: [
      {
        matcher: { id: 'byName', options: 'Used' },
        properties: [
          { id: 'unit', value: 'percentunit' },
          { id: 'custom.cellOptions', value: { type: 'gauge', mode: 'basic' } },
          { id: 'min', value: 0 },
          { id: 'max', value: 1 },
          { id: 'thresholds', value: { mode: 'absolute', steps: [{ color: 'green', value: null }, { color: 'orange', value: 0.7 }, { color: 'red', value: 1 }] } },
        ],
      },
    ],
  },
  options: { showHeader: true, sortBy: [{ displayName: 'Used', desc: true }] },
};

const burnDown: PanelSpec = {
  type: 'timeseries',
  title: 'Team spend, cumulative over the range (burn-down)',
  description: `${COST_NOTE}. Choose the budget period as the range (This month so far, This week so far, Today so far) to see each team's spend climb toward its limit in the table above.`,
  w: 16,
  h: 8,
  ...query('teamSpend', true),
  fieldConfig: { defaults: { unit: 'currencyUSD', custom: { drawStyle: 'line', lineWidth: 2, fillOpacity: 10 } }, overrides: [] },
  options: { legend: { showLegend: true, displayMode: 'list', placement: 'bottom' }, tooltip: { mode: 'multi', sort: 'desc' } },
  transformations: [{ id: 'calculateField', options: { mode: 'cumulativeFunctions', cumulative: { field: 'estimated_cost_usd', reducer: 'sum' }, replaceFields: true } }],
};

const TOKENS_NOTE = 'input + cache read + cache write + output; reasoning is part of output';
const MODEL_FILTER_NOTE = 'Most activity names no model: choosing a model keeps only the activity that does.';

const ROWS: readonly RowSpec[] = [
  {
    title: 'Budgets',
    panels: [budgetStanding, burnDown, ranking('Estimated cost by team', 'team', 'estimated_cost_usd', 'currencyUSD', { key: 'byTeam' }, 8, `${COST_NOTE}. unassigned: users in no team of the team map.`)],
  },
  {
    title: 'Overview',
    panels: [
      stat('Total tokens', 'total_tokens', 'short', { key: 'overview' }, TOKENS_NOTE),
      stat('Estimated cost', 'estimated_cost_usd', 'currencyUSD', { reuses: 'overview' }, COST_NOTE, { decimals: 2 }),
      stat('Active developers', 'active_developers', 'short', { reuses: 'overview' }, 'Distinct developers with any usage; usage without a user identity is no developer and shows as (no identity) in the tables.'),
      stat('Active hours', 'active_hours', 'short', { reuses: 'overview' }, 'Developer × clock hour (UTC) pairs with any usage.'),
      stat('Sessions', 'sessions', 'short', { reuses: 'overview' }, 'Distinct agent sessions with usage.'),
      stat('Unpriced tokens', 'unpriced_tokens', 'short', { reuses: 'overview' }, 'Tokens of models without a price: not in the cost.', {
        thresholds: { mode: 'absolute', steps: [{ color: 'green', value: null }, { color: 'red', value: 1 }] },
      }),
      { type: 'text', title: '', w: 24, h: 2, options: { mode: 'markdown', content: COST_TEXT } },
    ],
  },
  {
    title: 'Per developer',
    panels: [
      ranking('Tokens by developer', 'user_email', 'tokens', 'short', { key: 'developers' }, 12, TOKENS_NOTE),
      ranking('Estimated cost by developer', 'user_email', 'estimated_cost_usd', 'currencyUSD', { reuses: 'developers' }, 12, COST_NOTE),
      overTime('Token rate per developer', 'rate', 'short', 'Tokens per interval, stacked by developer: when people work, not only how much.'),
    ],
  },
  {
    title: 'Breakdown',
    panels: [
      {
        type: 'bargauge',
        title: 'Tokens by type',
        description: 'Reasoning is the part of output that was reasoning, not a fifth bucket.',
        w: 8,
        h: 8,
        ...source({ key: 'byType' }),
        fieldConfig: fieldDefaults('short'),
        options: { reduceOptions: { values: false, calcs: ['lastNotNull'], fields: '/_tokens$/' }, orientation: 'horizontal', displayMode: 'basic', showUnfilled: true },
      },
      { ...stat('Cache hit ratio', 'cache_hit_ratio', 'percentunit', { reuses: 'byType' }, 'Cache read / all input (input + cache read + cache write).', { decimals: 1 }), h: 8 },
      ranking('Tokens by model', 'model', 'tokens', 'short', { key: 'byModel' }, 6, TOKENS_NOTE),
      ranking('Estimated cost by model', 'model', 'estimated_cost_usd', 'currencyUSD', { reuses: 'byModel' }, 6, COST_NOTE),
      ranking('Estimated cost by tool', 'tool', 'estimated_cost_usd', 'currencyUSD', { key: 'byTool' }, 8, COST_NOTE),
      {
        type: 'table',
        title: 'Developer × token type',
        description: TOKENS_NOTE,
        w: 16,
        h: 8,
        ...source({ key: 'matrix' }),
        fieldConfig: { defaults: { unit: 'short' }, overrides: [] },
        options: { showHeader: true, footer: { show: true, reducer: ['sum'], fields: '' } },
      },
    ],
  },
  {
    title: 'Activity',
    panels: [
      stat('Lines added', 'lines_added', 'short', { key: 'activity' }, MODEL_FILTER_NOTE),
      stat('Lines removed', 'lines_removed', 'short', { reuses: 'activity' }, MODEL_FILTER_NOTE),
      stat('Commits', 'commits', 'short', { reuses: 'activity' }, MODEL_FILTER_NOTE),
      stat('Pull requests', 'pull_requests', 'short', { reuses: 'activity' }, MODEL_FILTER_NOTE),
      stat('Edit accept rate', 'edit_accept_rate', 'percentunit', { reuses: 'activity' }, 'Accepted / (accepted + rejected) edit decisions; empty when none were decided.', {
        decimals: 1,
      }),
      stat('Edits rejected', 'edit_rejected', 'short', { reuses: 'activity' }, MODEL_FILTER_NOTE),
      overTime('Sessions started', 'sessionsStarted', 'short', `Sessions started per interval. ${MODEL_FILTER_NOTE}`),
    ],
  },
];

function filterVariable(flavor: StoreFlavor, variable: (typeof FILTER_VARIABLES)[number], label: string): Variable {
  const { query: variableQuery, definition } = flavor.variableQuery(variable.column);
  return {
    type: 'query',
    name: variable.name,
    label,
    datasource: { type: flavor.plugin, uid: '${datasource}' },
    query: variableQuery,
    definition,
    // Refreshed with the time range: the choices are the values reported in it.
    refresh: 2,
    sort: 1,
    multi: true,
    includeAll: true,
    // Inserted unformatted (see timestream-sql.ts): the condition becomes `x IN (x)`, true for every record.
    allValue: variable.match,
    current: { selected: true, text: ['All'], value: ['$__all'] },
    options: [],
    hide: 0,
  };
}

const FILTER_LABELS: Readonly<Record<string, string>> = { user: 'Developer', tool: 'Tool', model: 'Model', repo: 'Repository', team: 'Team' };

/** Where the budgets row reads from: the Infinity data source, and the receiver's URL (the IngestUrl output). */
const BUDGET_VARIABLES: readonly Variable[] = [
  { type: 'datasource', name: 'budgets', label: 'Budgets (Infinity)', query: INFINITY_PLUGIN, refresh: 1, hide: 0, current: {}, options: [] },
  { type: 'textbox', name: 'receiver', label: 'Receiver URL', query: '', current: { text: '', value: '' }, options: [], hide: 0 },
];

export function usageBoard(flavor: StoreFlavor = TIMESTREAM_FLAVOR): Dashboard {
  const athena = flavor === ATHENA_FLAVOR;
  return board({
    uid: athena ? 'seatmeter-usage-athena' : 'seatmeter-usage',
    title: athena ? 'seatmeter — team usage (lake)' : 'seatmeter — team usage',
    description: `Who uses AI coding agents, how much, on which models and token types, and the estimated cost (${COST_NOTE}). Generated by \`npm run dashboards\` from lambdas/report/usage-panels.ts.`,
    // Every Timestream query bills at least 30 s of compute, every Athena query 10 MB: refresh by hand.
    refresh: '',
    from: 'now-7d',
    plugin: flavor.plugin,
    pluginLabel: flavor.label,
    variables: [...FILTER_VARIABLES.map((variable) => filterVariable(flavor, variable, FILTER_LABELS[variable.name] ?? variable.name)), ...BUDGET_VARIABLES],
    rows: ROWS.map((row) => ({ ...row, panels: row.panels.map((spec) => forStore(spec, flavor)) })),
  });
}
