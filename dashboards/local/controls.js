/**
 * The filter form: time range, developers, tools, teams. The form is only a view of the URL's state: it is filled
 * from a ViewState and read back into one, and app.js puts that in the URL.
 */
import { html, replaceChildren } from './dom.js';
import { formatTool, formatUser } from './format.js';
import { PRESETS, dayOf, isDay } from './view-state.js';

/** @typedef {import('./view-state.js').ViewState} ViewState */
/** @typedef {import('./api.js').FilterOptions} FilterOptions */

/** The checkbox value for "records without identity", as in the API's `user=`. */
const NO_IDENTITY_VALUE = '';

/** Radios for the presets and "Custom", built from PRESETS so the labels live in one place. */
export function buildRangeChoices(/** @type {HTMLFormElement} */ form) {
  const choices = /** @type {HTMLElement} */ (form.querySelector('[data-range-choices]'));
  const options = [...Object.entries(PRESETS).map(([value, preset]) => [value, preset.label]), ['custom', 'Custom']];
  replaceChildren(choices, options.map(([value, label]) => html('label', { class: 'choice' }, html('input', { type: 'radio', name: 'range', value }), html('span', {}, label))));
}

/**
 * Shows `state` in the form. For a preset the date inputs show the days it covers, a starting point for "Custom".
 * @param {HTMLFormElement} form
 * @param {ViewState} state
 * @param {{ fromMs: number; toMs: number }} resolved
 */
export function showState(form, state, resolved) {
  const choice = state.range.kind === 'custom' ? 'custom' : state.range.preset;
  for (const radio of form.querySelectorAll('input[name="range"]')) {
    /** @type {HTMLInputElement} */ (radio).checked = /** @type {HTMLInputElement} */ (radio).value === choice;
  }
  input(form, 'from').value = state.range.kind === 'custom' ? state.range.from : dayOf(resolved.fromMs);
  input(form, 'to').value = state.range.kind === 'custom' ? state.range.to : dayOf(resolved.toMs - 1);
  checkOnly(form, 'user', state.users);
  checkOnly(form, 'tool', state.tools);
  checkOnly(form, 'team', state.teams);
}

/**
 * Rebuilds the developer, tool and team checkboxes from what the range holds. A selection the range no longer holds
 * stays listed, so it can still be seen and unticked.
 * @param {HTMLFormElement} form
 * @param {FilterOptions} options
 * @param {ViewState} state
 * @param {(email: string | null) => string} colorOf
 */
export function showFilterOptions(form, options, state, colorOf) {
  const users = [...options.users.map((email) => email ?? NO_IDENTITY_VALUE)];
  for (const selected of state.users) if (!users.includes(selected)) users.push(selected);
  const tools = [...options.tools];
  for (const selected of state.tools) if (!tools.includes(selected)) tools.push(selected);
  const teams = [...options.teams.map((team) => team ?? NO_IDENTITY_VALUE)];
  for (const selected of state.teams) if (!teams.includes(selected)) teams.push(selected);

  replaceChildren(
    list(form, 'user'),
    users.length === 0
      ? html('p', { class: 'hint' }, 'No developers in this range')
      : users.map((value) => {
          const email = value === NO_IDENTITY_VALUE ? null : value;
          return checkbox('user', value, formatUser(email), state.users.includes(value), colorOf(email));
        }),
  );
  replaceChildren(
    list(form, 'tool'),
    tools.length === 0 ? html('p', { class: 'hint' }, 'No tools in this range') : tools.map((tool) => checkbox('tool', tool, formatTool(tool), state.tools.includes(tool), null)),
  );
  replaceChildren(
    list(form, 'team'),
    teams.length === 0
      ? html('p', { class: 'hint' }, 'No teams in this range')
      : teams.map((team) => checkbox('team', team, team === NO_IDENTITY_VALUE ? '(no identity)' : team, state.teams.includes(team), null)),
  );
}

/**
 * The state the form now describes. Editing a date switches to a custom range; a date left empty takes the
 * other one's value, so the range is never half-defined.
 * @param {HTMLFormElement} form
 * @param {EventTarget | null} changed
 * @returns {ViewState}
 */
export function readState(form, changed) {
  const data = new FormData(form);
  const from = input(form, 'from').value;
  const to = input(form, 'to').value;
  const editedDate = changed === input(form, 'from') || changed === input(form, 'to');
  const choice = editedDate ? 'custom' : String(data.get('range') ?? '');
  const users = data.getAll('user').map(String);
  const tools = data.getAll('tool').map(String);
  const teams = data.getAll('team').map(String);
  if (choice === 'custom') {
    const first = isDay(from) ? from : to;
    const last = isDay(to) ? to : first;
    const [start, end] = first <= last ? [first, last] : [last, first];
    return { range: { kind: 'custom', from: start, to: end }, users, tools, teams };
  }
  const preset = Object.hasOwn(PRESETS, choice) ? /** @type {keyof typeof PRESETS} */ (choice) : '7d';
  return { range: { kind: 'preset', preset }, users, tools, teams };
}

/**
 * @param {string} name
 * @param {string} value
 * @param {string} label
 * @param {boolean} checked
 * @param {string | null} color a swatch tying the person to their colour in the charts
 */
function checkbox(name, value, label, checked, color) {
  return html(
    'label',
    { class: 'choice' },
    html('input', { type: 'checkbox', name, value, checked }),
    color === null ? null : html('span', { class: 'swatch', style: `background:${color}`, 'aria-hidden': 'true' }),
    html('span', {}, label),
  );
}

/** @param {HTMLFormElement} form @param {string} name @param {readonly string[]} values */
function checkOnly(form, name, values) {
  for (const box of form.querySelectorAll(`input[name="${name}"]`)) {
    /** @type {HTMLInputElement} */ (box).checked = values.includes(/** @type {HTMLInputElement} */ (box).value);
  }
}

/** @returns {HTMLInputElement} */
function input(/** @type {HTMLFormElement} */ form, /** @type {string} */ name) {
  return /** @type {HTMLInputElement} */ (form.elements.namedItem(name));
}

/** @returns {HTMLElement} */
function list(/** @type {HTMLFormElement} */ form, /** @type {string} */ name) {
  return /** @type {HTMLElement} */ (form.querySelector(`[data-options="${name}"]`));
}
