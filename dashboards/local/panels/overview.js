/** Row 1 of the board: the headline numbers for the whole range and filter. */
import { html } from '../dom.js';
import { formatCompact, formatInteger, formatUsd, formatUsdExact } from '../format.js';
import { boardRow } from './panel.js';

/** @typedef {import('../api.js').DashboardData['overview']} Overview */

export const COST_NOTE = 'API list price — a ceiling on a metered bill';

export function overviewRow(/** @type {Overview} */ overview) {
  const unpriced = overview.unpriced_tokens;
  return boardRow(
    'overview',
    'Overview',
    html(
      'dl',
      { class: 'stats' },
      stat('total_tokens', 'Total tokens', formatCompact(overview.total_tokens), `${formatInteger(overview.total_tokens)} tokens`),
      stat('estimated_cost', 'Estimated cost', formatUsd(overview.estimated_cost_usd), COST_NOTE, formatUsdExact(overview.estimated_cost_usd)),
      stat('active_developers', 'Active developers', formatInteger(overview.active_developers), 'with a user identity'),
      stat('active_hours', 'Active hours', formatInteger(overview.active_hours), 'developer × clock hour with usage'),
      stat('sessions', 'Sessions', formatInteger(overview.sessions), 'agent sessions'),
      stat('unpriced_tokens', 'Unpriced tokens', formatCompact(unpriced), unpriced > 0 ? 'not in the cost' : 'every token is priced', undefined, unpriced > 0),
    ),
    // A cost that silently leaves tokens out reads as cheaper than it is: say so above the charts.
    unpriced > 0 && html('p', { class: 'warning', role: 'note' }, `${formatInteger(unpriced)} tokens have no price and are not in the cost.`),
  );
}

/**
 * @param {string} key a stable hook for tests and styles
 * @param {string} label
 * @param {string} value
 * @param {string} note
 * @param {string} [exact] the unrounded value, as a tooltip
 * @param {boolean} [warn]
 */
function stat(key, label, value, note, exact, warn = false) {
  return html(
    'div',
    { class: warn ? 'stat warn' : 'stat', 'data-stat': key },
    html('dt', {}, label),
    html('dd', { class: 'stat-value', title: exact ?? null }, value),
    html('dd', { class: 'stat-note' }, note),
  );
}
