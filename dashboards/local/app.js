/**
 * The page's entry: the URL holds the view (range and filters); every change goes URL → fetch → render, so a
 * copied link or a reload shows the same board.
 */
import { ApiError, fetchBudgets, fetchDashboard, fetchFilters } from './api.js';
import { buildRangeChoices, readState, showFilterOptions, showState } from './controls.js';
import { html, replaceChildren } from './dom.js';
import { formatClock, formatRange, formatTool, formatUser } from './format.js';
import { userColors } from './palette.js';
import { breakdownRow } from './panels/breakdown.js';
import { budgetsRow } from './panels/budgets.js';
import { developersRow } from './panels/developers.js';
import { overviewRow } from './panels/overview.js';
import { parseViewState, resolveRange, serializeViewState } from './view-state.js';

/** @typedef {import('./view-state.js').ViewState} ViewState */
/** @typedef {import('./api.js').DashboardData} DashboardData */

const form = /** @type {HTMLFormElement} */ (document.getElementById('controls'));
const board = /** @type {HTMLElement} */ (document.getElementById('board'));
const errors = /** @type {HTMLElement} */ (document.getElementById('errors'));
const status = /** @type {HTMLElement} */ (document.getElementById('status'));
const summary = /** @type {HTMLElement} */ (document.getElementById('range-summary'));

let state = parseViewState(location.search);
/** @type {AbortController | null} */
let inFlight = null;

buildRangeChoices(form);
form.addEventListener('change', (event) => {
  state = readState(form, event.target);
  history.pushState(null, '', serializeViewState(state));
  void load(state);
});
form.addEventListener('submit', (event) => event.preventDefault());
document.getElementById('refresh')?.addEventListener('click', () => void load(state));
window.addEventListener('popstate', () => {
  state = parseViewState(location.search);
  void load(state);
});
void load(state);

/** Fetches and draws `view`; a newer load cancels this one, so a slow answer never overwrites a newer view. */
async function load(/** @type {ViewState} */ view) {
  inFlight?.abort();
  const controller = new AbortController();
  inFlight = controller;
  const range = resolveRange(view.range, Date.now());
  showState(form, view, range);
  summary.textContent = describe(view, range);
  board.dataset.state = 'loading';
  board.setAttribute('aria-busy', 'true');
  status.textContent = 'Loading…';

  const [filters, dashboard, budgets] = await Promise.allSettled([
    fetchFilters(range, controller.signal),
    fetchDashboard({ ...range, users: view.users, tools: view.tools, teams: view.teams }, controller.signal),
    fetchBudgets(controller.signal),
  ]);
  if (controller.signal.aborted) return;

  const colorOf = userColors(filters.status === 'fulfilled' ? filters.value.users : dashboard.status === 'fulfilled' ? dashboard.value.developers.map((d) => d.user_email) : []);
  if (filters.status === 'fulfilled') showFilterOptions(form, filters.value, view, colorOf);
  showErrors([filters, dashboard, budgets].flatMap((result) => (result.status === 'rejected' ? [result.reason] : [])));
  board.dataset.view = serializeViewState(view);
  board.removeAttribute('aria-busy');

  if (dashboard.status === 'rejected') {
    // Numbers from the previous view under this view's filters would be wrong, not merely stale.
    replaceChildren(board);
    board.dataset.state = 'error';
    status.textContent = 'Failed to load';
    return;
  }
  render(dashboard.value, budgets.status === 'fulfilled' ? budgets.value : [], colorOf);
  status.textContent = `Updated ${formatClock(Date.now())}`;
}

function render(/** @type {DashboardData} */ data, /** @type {import('./api.js').BudgetStatusEntry[]} */ budgets, /** @type {(email: string | null) => string} */ colorOf) {
  if (data.developers.length === 0 && data.overview.total_tokens === 0) {
    replaceChildren(
      board,
      html(
        'div',
        { class: 'empty', 'data-empty': '' },
        html('h2', {}, 'No usage in this range'),
        html('p', {}, `Nothing was recorded between ${formatRange(data.query.fromMs, data.query.toMs)} for these filters. Pick a wider range or clear a filter.`),
      ),
      budgetsRow(budgets),
    );
    board.dataset.state = 'empty';
    return;
  }
  replaceChildren(board, overviewRow(data.overview), budgetsRow(budgets), developersRow(data, colorOf), breakdownRow(data));
  board.dataset.state = 'ready';
}

function showErrors(/** @type {unknown[]} */ reasons) {
  errors.hidden = reasons.length === 0;
  replaceChildren(
    errors,
    reasons.length > 0 && html('h2', {}, 'The dashboard could not be loaded'),
    reasons.map((reason) => html('p', {}, reason instanceof ApiError || reason instanceof Error ? reason.message : String(reason))),
  );
}

/** "Nov 21, 2026 – Nov 23, 2026 · Codex · 1 developer": what the board shows, in words. */
function describe(/** @type {ViewState} */ view, /** @type {{ fromMs: number; toMs: number }} */ range) {
  const parts = [formatRange(range.fromMs, range.toMs)];
  parts.push(view.tools.length === 0 ? 'all tools' : view.tools.map(formatTool).join(', '));
  parts.push(view.users.length === 0 ? 'all developers' : view.users.map((user) => formatUser(user === '' ? null : user)).join(', '));
  if (view.teams.length > 0) parts.push(view.teams.map((team) => (team === '' ? '(no identity)' : team)).join(', '));
  return parts.join(' · ');
}
