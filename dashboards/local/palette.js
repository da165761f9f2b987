/**
 * Colours that carry meaning across panels: one per developer (the same person is the same colour in every
 * chart) and one per token type. The series colours follow the Okabe–Ito set, which stays distinguishable with colour blindness (its
 * yellow darkened and its black swapped for grey, to read on white and on dark backgrounds).
 */

const SERIES = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#7f7f7f', '#b8a400'];

/** The colours of the token types, in the board's order. */
export const TOKEN_TYPE_COLORS = {
  input: '#0072b2',
  cache_read: '#56b4e9',
  cache_write: '#e69f00',
  output: '#cc79a7',
  reasoning: '#8e3b74',
};

/**
 * Colours by the filter list's order rather than by rank, so filtering the view does not repaint people.
 * @param {readonly (string | null)[]} known every user the range has, in the order the filter list shows them
 * @returns {(email: string | null) => string}
 */
export function userColors(known) {
  /** @type {Map<string | null, string>} */
  const assigned = new Map();
  for (const email of known) assigned.set(email, SERIES[assigned.size % SERIES.length] ?? '#7f7f7f');
  return (email) => {
    const color = assigned.get(email) ?? SERIES[assigned.size % SERIES.length] ?? '#7f7f7f';
    assigned.set(email, color);
    return color;
  };
}
