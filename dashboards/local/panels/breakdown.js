/** Row 3 of the board: what the tokens were (type, model) and each developer's mix. */
import { barChart } from '../charts/bar-chart.js';
import { dataTable } from '../charts/data-table.js';
import { legend } from '../charts/legend.js';
import { html } from '../dom.js';
import { formatCompact, formatInteger, formatUsd, formatUsdExact, formatUser } from '../format.js';
import { TOKEN_TYPE_COLORS } from '../palette.js';
import { boardRow, panel } from './panel.js';

/**
 * @typedef {import('../api.js').DashboardData} DashboardData
 * @typedef {import('../../../lambdas/report/dashboard-types.ts').TokenBreakdown} TokenBreakdown
 */

/** The four disjoint buckets that add up to the total; reasoning is inside output, never a fifth. */
const TOKEN_TYPES = /** @type {const} */ ([
  ['input_tokens', 'Input', TOKEN_TYPE_COLORS.input],
  ['cache_read_tokens', 'Cache read', TOKEN_TYPE_COLORS.cache_read],
  ['cache_write_tokens', 'Cache write', TOKEN_TYPE_COLORS.cache_write],
  ['output_tokens', 'Output', TOKEN_TYPE_COLORS.output],
]);

export function breakdownRow(/** @type {DashboardData} */ data) {
  return boardRow(
    'breakdown',
    'Breakdown',
    html(
      'div',
      { class: 'panels' },
      panel({ id: 'token-types', title: 'Tokens by type', subtitle: 'reasoning is part of output' }, tokenTypes(data.by_type)),
      panel({ id: 'models', title: 'Tokens and cost by model' }, models(data.by_model, data.overview.total_tokens)),
      panel({ id: 'matrix', title: 'Developer × token type', subtitle: 'tokens', wide: true }, matrix(data.matrix, data.by_type)),
    ),
  );
}

function tokenTypes(/** @type {TokenBreakdown} */ byType) {
  const total = totalOf(byType);
  const inputSide = byType.input_tokens + byType.cache_read_tokens + byType.cache_write_tokens;
  const bars = TOKEN_TYPES.map(([key, label, color]) => ({
    label,
    value: byType[key],
    valueText: `${formatCompact(byType[key])} · ${percent(byType[key], total)}`,
    color,
    part:
      key === 'output_tokens'
        ? { value: byType.reasoning_tokens, color: TOKEN_TYPE_COLORS.reasoning, label: `${formatInteger(byType.reasoning_tokens)} reasoning` }
        : undefined,
  }));
  return html(
    'div',
    {},
    barChart({ description: 'Tokens by type', bars, labelWidth: 100, valueWidth: 110 }),
    legend([
      ...TOKEN_TYPES.map(([, label, color]) => ({ label, color })),
      { label: `of which reasoning: ${formatInteger(byType.reasoning_tokens)} of ${formatInteger(byType.output_tokens)} output`, color: TOKEN_TYPE_COLORS.reasoning },
    ]),
    // Cache reads are billed at a fraction of input: how much input they served explains most of a cost.
    inputSide > 0 && html('p', { class: 'panel-note', 'data-cache-share': '' }, `The cache served ${percent(byType.cache_read_tokens, inputSide)} of input tokens.`),
  );
}

/**
 * @param {DashboardData['by_model']} byModel
 * @param {number} total
 */
function models(byModel, total) {
  const largest = Math.max(1, ...byModel.map((model) => model.tokens));
  return dataTable({
    caption: 'Tokens and estimated cost by model',
    className: 'models-table',
    rows: byModel,
    columns: [
      { header: 'Model', cell: (model) => html('code', {}, model.model) },
      {
        header: 'Tokens',
        numeric: true,
        cell: (model) =>
          html(
            'span',
            { class: 'inline-bar', title: `${formatInteger(model.tokens)} tokens` },
            html('span', { class: 'inline-bar-fill', style: `width:${((model.tokens / largest) * 100).toFixed(1)}%`, 'aria-hidden': 'true' }),
            html('span', { class: 'inline-bar-text' }, formatCompact(model.tokens)),
          ),
      },
      { header: 'Share', numeric: true, cell: (model) => percent(model.tokens, total) },
      {
        header: 'Est. cost',
        numeric: true,
        // A model with no price at all has no cost to show; $0.00 would claim it was free.
        cell: (model) => (model.unpriced_tokens >= model.tokens && model.tokens > 0 ? html('span', { class: 'unpriced' }, 'no price') : html('span', { title: formatUsdExact(model.estimated_cost_usd) }, formatUsd(model.estimated_cost_usd))),
      },
      { header: 'Unpriced', numeric: true, cell: (model) => (model.unpriced_tokens > 0 ? html('span', { class: 'unpriced' }, formatInteger(model.unpriced_tokens)) : '—') },
    ],
  });
}

/**
 * @param {DashboardData['matrix']} rows
 * @param {TokenBreakdown} byType
 */
function matrix(rows, byType) {
  /** @typedef {{ readonly label: string } & TokenBreakdown} MatrixRow */
  /** @type {MatrixRow[]} */
  const body = [...rows].sort((a, b) => totalOf(b) - totalOf(a)).map((row) => ({ ...row, label: formatUser(row.user_email) }));
  /** @param {keyof TokenBreakdown} key */
  const count = (key) => (/** @type {MatrixRow} */ row) => formatInteger(row[key]);
  return dataTable({
    caption: 'Tokens by developer and token type',
    className: 'matrix-table',
    rows: body,
    footer: { ...byType, label: 'All developers' },
    columns: [
      { header: 'Developer', cell: (row) => row.label },
      { header: 'Input', numeric: true, cell: count('input_tokens') },
      { header: 'Cache read', numeric: true, cell: count('cache_read_tokens') },
      { header: 'Cache write', numeric: true, cell: count('cache_write_tokens') },
      { header: 'Output', numeric: true, cell: count('output_tokens') },
      { header: 'of which reasoning', numeric: true, cell: count('reasoning_tokens') },
      { header: 'Total', numeric: true, cell: (row) => formatInteger(totalOf(row)) },
    ],
  });
}

function totalOf(/** @type {TokenBreakdown} */ tokens) {
  return tokens.input_tokens + tokens.cache_read_tokens + tokens.cache_write_tokens + tokens.output_tokens;
}

function percent(/** @type {number} */ part, /** @type {number} */ whole) {
  if (whole <= 0) return '—';
  const share = (part / whole) * 100;
  // "0%" for a real but small share would read as none.
  if (share > 0 && share < 1) return '<1%';
  return `${Math.round(share)}%`;
}
