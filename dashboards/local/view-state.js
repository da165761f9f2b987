/**
 * The view a URL describes, so a link reproduces what its sender saw:
 *   ?range=24h|7d|30d                       a window ending now
 *   ?from=2026-11-21&to=2026-11-23          whole local calendar days, both ends included
 *   &user=a@x.com&user=                     repeated; an empty value is "records without identity"
 *   &tool=codex                             repeated; none means every user / every tool
 *   &team=payments                          repeated; none means every team (an empty value: no identity)
 */

const HOUR_MS = 3_600_000;

/** @typedef {'24h' | '7d' | '30d'} Preset */
/** @typedef {{ readonly kind: 'preset'; readonly preset: Preset } | { readonly kind: 'custom'; readonly from: string; readonly to: string }} RangeSpec */
/** @typedef {{ readonly range: RangeSpec; readonly users: readonly string[]; readonly tools: readonly string[]; readonly teams: readonly string[] }} ViewState */

/** @type {Readonly<Record<Preset, { readonly label: string; readonly ms: number }>>} */
export const PRESETS = {
  '24h': { label: 'Last 24 h', ms: 24 * HOUR_MS },
  '7d': { label: '7 days', ms: 7 * 24 * HOUR_MS },
  '30d': { label: '30 days', ms: 30 * 24 * HOUR_MS },
};

/** @type {Preset} */
export const DEFAULT_PRESET = '7d';

/** @returns {value is Preset} */
function isPreset(/** @type {string | null} */ value) {
  return value !== null && Object.hasOwn(PRESETS, value);
}

/** A real calendar day in the YYYY-MM-DD form date inputs use (so 2026-02-30 is refused, not rolled over). */
export function isDay(/** @type {string | null} */ value) {
  if (value === null || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const [year, month, date] = value.split('-').map(Number);
  const parsed = new Date(Date.UTC(year ?? 0, (month ?? 0) - 1, date ?? 0));
  return parsed.toISOString().slice(0, 10) === value;
}

/** @returns {ViewState} */
export function parseViewState(/** @type {string} */ search) {
  const params = new URLSearchParams(search);
  const users = unique(params.getAll('user'));
  const tools = unique(params.getAll('tool').filter((tool) => tool !== ''));
  const teams = unique(params.getAll('team'));
  const from = params.get('from');
  const to = params.get('to');
  // One valid end is enough: a link with only ?from=… means that single day.
  const first = isDay(from) ? from : isDay(to) ? to : null;
  const last = isDay(to) ? to : first;
  if (first !== null && last !== null) {
    const [start, end] = first <= last ? [first, last] : [last, first];
    return { range: { kind: 'custom', from: start, to: end }, users, tools, teams };
  }
  const preset = params.get('range');
  return { range: { kind: 'preset', preset: isPreset(preset) ? preset : DEFAULT_PRESET }, users, tools, teams };
}

export function serializeViewState(/** @type {ViewState} */ state) {
  const params = new URLSearchParams();
  if (state.range.kind === 'custom') {
    params.set('from', state.range.from);
    params.set('to', state.range.to);
  } else {
    params.set('range', state.range.preset);
  }
  for (const user of state.users) params.append('user', user);
  for (const tool of state.tools) params.append('tool', tool);
  for (const team of state.teams) params.append('team', team);
  return `?${params}`;
}

/**
 * Epoch milliseconds, end exclusive. Custom days are the viewer's local days, as the date inputs show them.
 * @returns {{ fromMs: number; toMs: number }}
 */
export function resolveRange(/** @type {RangeSpec} */ range, /** @type {number} */ nowMs) {
  if (range.kind === 'preset') return { fromMs: nowMs - PRESETS[range.preset].ms, toMs: nowMs };
  return { fromMs: localMidnight(range.from, 0), toMs: localMidnight(range.to, 1) };
}

/** The local calendar day (YYYY-MM-DD) an instant falls on: what a date input shows for it. */
export function dayOf(/** @type {number} */ ms) {
  const date = new Date(ms);
  const pad = (/** @type {number} */ n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function localMidnight(/** @type {string} */ day, /** @type {number} */ addDays) {
  const [year, month, date] = day.split('-').map(Number);
  // The Date constructor works in local time and rolls day overflow into the next month, DST included.
  return new Date(year ?? 0, (month ?? 1) - 1, (date ?? 1) + addDays).getTime();
}

/** @template T @param {readonly T[]} values */
function unique(values) {
  return [...new Set(values)];
}
