/** The budgets row: each budget's spend against its limit in its current period, and what was last said of it. */
import { html } from '../dom.js';
import { formatCompact, formatUsd } from '../format.js';
import { boardRow, panel } from './panel.js';

/** @typedef {import('../api.js').BudgetStatusEntry} BudgetStatusEntry */

const STATE_LABELS = { ok: 'ok', warning: 'over a soft threshold', over: 'over the limit', capped: 'capped' };

function amount(/** @type {BudgetStatusEntry} */ budget, /** @type {number | null} */ value) {
  if (value === null) return 'lifted';
  return budget.limit_tokens === undefined ? formatUsd(value) : `${formatCompact(value)} tokens`;
}

function lastAlert(/** @type {BudgetStatusEntry} */ budget) {
  const alert = budget.last_alert;
  if (alert === null) return '—';
  return alert.state === 'failed' ? `not delivered: ${alert.failure ?? ''}` : `${alert.subject.replace(/^seatmeter: /, '')} (${alert.state})`;
}

export function budgetsRow(/** @type {readonly BudgetStatusEntry[]} */ budgets) {
  if (budgets.length === 0) return null;
  const rows = budgets.map((budget) =>
    html(
      'tr',
      { 'data-budget': budget.name, 'data-state': budget.state },
      html('th', { scope: 'row' }, budget.name),
      html('td', {}, budget.scope),
      html('td', {}, budget.period_key),
      html('td', { class: 'num' }, `${amount(budget, budget.used)} / ${amount(budget, budget.limit)}`),
      html(
        'td',
        {},
        // A meter reads as "used" to a screen reader too; over 100 % it stays full and the state says the rest.
        html('meter', { min: 0, max: 1, low: budget.soft[0] ?? 0.7, high: 0.999, optimum: 0, value: Math.min(budget.used_fraction ?? 0, 1) }),
        ` ${budget.used_fraction === null ? '' : `${(budget.used_fraction * 100).toFixed(1)} %`}`,
      ),
      html('td', { class: 'num' }, amount(budget, budget.projected)),
      html('td', { class: `budget-state ${budget.state}` }, STATE_LABELS[budget.state]),
      html('td', {}, lastAlert(budget)),
    ),
  );
  const head = html('tr', {}, ...['Budget', 'Scope', 'Period', 'Spent / limit', 'Used', 'Projected', 'State', 'Last alert'].map((title) => html('th', { scope: 'col' }, title)));
  return boardRow(
    'budgets',
    'Budgets',
    panel(
      { id: 'budgets-table', title: 'This period', subtitle: 'each budget in its own current period, whatever the range above', wide: true },
      html('table', { class: 'data-table' }, html('thead', {}, head), html('tbody', {}, ...rows)),
    ),
  );
}
