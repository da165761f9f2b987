/**
 * The JSON endpoints the local server answers. The response shapes are the contract in
 * lambdas/report/dashboard-types.ts.
 *
 * @typedef {import('../../lambdas/report/dashboard-types.ts').DashboardData} DashboardData
 * @typedef {import('../../lambdas/report/dashboard-types.ts').FilterOptions} FilterOptions
 * @typedef {import('../../lambdas/local/budget-api.ts').BudgetStatusEntry} BudgetStatusEntry
 */

/** What the page shows when a request fails: which endpoint, the HTTP status, and the server's own words. */
export class ApiError extends Error {
  /** @param {string} message @param {number | null} status */
  constructor(message, status) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
}

/**
 * @param {{ fromMs: number; toMs: number; users: readonly string[]; tools: readonly string[]; teams: readonly string[] }} query
 * @param {AbortSignal} signal
 * @returns {Promise<DashboardData>}
 */
export function fetchDashboard(query, signal) {
  const params = rangeParams(query);
  for (const user of query.users) params.append('user', user);
  for (const tool of query.tools) params.append('tool', tool);
  for (const team of query.teams) params.append('team', team);
  return getJson('/api/dashboard', params, signal);
}

/**
 * @param {{ fromMs: number; toMs: number }} range
 * @param {AbortSignal} signal
 * @returns {Promise<FilterOptions>}
 */
export function fetchFilters(range, signal) {
  return getJson('/api/filters', rangeParams(range), signal);
}

/**
 * Every budget and where it stands in its current period (not the page's range: a budget has its own).
 * @param {AbortSignal} signal
 * @returns {Promise<BudgetStatusEntry[]>}
 */
export function fetchBudgets(signal) {
  return getJson('/api/budgets', new URLSearchParams(), signal);
}

function rangeParams(/** @type {{ fromMs: number; toMs: number }} */ range) {
  return new URLSearchParams({ from: String(range.fromMs), to: String(range.toMs) });
}

/** @param {string} path @param {URLSearchParams} params @param {AbortSignal} signal */
async function getJson(path, params, signal) {
  /** @type {Response} */
  let response;
  try {
    response = await fetch(`${path}?${params}`, { signal, headers: { accept: 'application/json' } });
  } catch (error) {
    if (signal.aborted) throw error;
    throw new ApiError(`Could not reach the seatmeter server for ${path}: ${messageOf(error)}`, null);
  }
  const text = await response.text();
  if (!response.ok) {
    const status = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
    throw new ApiError(`${path} answered ${status}${detailOf(text)}`, response.status);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(`${path} answered something that is not JSON${detailOf(text)}`, response.status);
  }
}

/** The server's explanation, from a JSON `{ error }` / `{ message }` body or the body text itself. */
function detailOf(/** @type {string} */ body) {
  const text = body.trim();
  if (text === '') return '';
  try {
    const parsed = JSON.parse(text);
    const reason = typeof parsed?.error === 'string' ? parsed.error : typeof parsed?.message === 'string' ? parsed.message : null;
    if (reason !== null) return `: ${reason}`;
  } catch {
    // Not JSON: the text itself is the explanation.
  }
  return `: ${text.length > 300 ? `${text.slice(0, 300)}…` : text}`;
}

function messageOf(/** @type {unknown} */ error) {
  return error instanceof Error ? error.message : String(error);
}
