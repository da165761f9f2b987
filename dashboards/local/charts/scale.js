/** Axis arithmetic shared by the charts. */

/**
 * Round tick values from 0 up to at least `max`: steps of 1, 2 or 5 times a power of ten.
 * @returns {number[]}
 */
export function niceTicks(/** @type {number} */ max, /** @type {number} */ wanted) {
  if (!(max > 0)) return [0, 1];
  const rough = max / wanted;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 5, 10].find((factor) => factor * power >= rough) ?? 10) * power;
  const ticks = [];
  for (let value = 0; value < max + step; value += step) ticks.push(value);
  return ticks;
}

/** @returns {(value: number) => number} */
export function linear(/** @type {[number, number]} */ domain, /** @type {[number, number]} */ range) {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0 || 1;
  return (value) => r0 + ((value - d0) / span) * (r1 - r0);
}

/** SVG text does not wrap or clip: shorten by characters and keep the full text for the tooltip. */
export function truncate(/** @type {string} */ text, /** @type {number} */ maxChars) {
  return text.length <= maxChars ? text : `${text.slice(0, Math.max(1, maxChars - 1))}…`;
}
