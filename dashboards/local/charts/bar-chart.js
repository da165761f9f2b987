/**
 * A ranked horizontal bar chart: one row per item, label on the left, value after the bar. A bar may carry a
 * `part` drawn inside it (the reasoning share of output tokens), so a sub-total reads as contained, not added.
 */
import { svg } from '../dom.js';
import { linear, truncate } from './scale.js';

const ROW_HEIGHT = 30;
const BAR_HEIGHT = 18;
/** Average advance of a 12px system-ui glyph, for fitting labels without measuring text. */
const CHAR_WIDTH = 7;

/**
 * @typedef {{ readonly value: number; readonly color: string; readonly label: string }} BarPart
 * @typedef {{ readonly label: string; readonly value: number; readonly valueText: string; readonly color: string; readonly part?: BarPart }} Bar
 */

/**
 * @param {{ description: string; bars: readonly Bar[]; width?: number; labelWidth?: number; valueWidth?: number }} options
 *   `description` is what a screen reader hears for the whole chart; the values are listed after it.
 */
export function barChart({ description, bars, width = 560, labelWidth = 170, valueWidth = 90 }) {
  const height = Math.max(1, bars.length) * ROW_HEIGHT;
  const max = Math.max(0, ...bars.map((bar) => bar.value));
  const x = linear([0, max || 1], [labelWidth, width - valueWidth]);
  const summary = bars.map((bar) => `${bar.label}: ${bar.valueText}`).join('; ');

  const rows = bars.map((bar, index) => {
    const top = index * ROW_HEIGHT;
    const middle = top + ROW_HEIGHT / 2;
    const barTop = top + (ROW_HEIGHT - BAR_HEIGHT) / 2;
    // A non-zero value always shows at least a sliver, so it is not mistaken for nothing.
    const barWidth = bar.value > 0 ? Math.max(2, x(bar.value) - labelWidth) : 0;
    const part = bar.part && bar.part.value > 0 ? Math.max(2, x(bar.part.value) - labelWidth) : 0;
    return svg(
      'g',
      { class: 'bar-row' },
      svg('title', {}, `${bar.label}: ${bar.valueText}${bar.part ? ` (${bar.part.label})` : ''}`),
      svg('text', { x: 0, y: middle, class: 'bar-label', 'dominant-baseline': 'central' }, truncate(bar.label, Math.floor((labelWidth - 8) / CHAR_WIDTH))),
      svg('rect', { x: labelWidth, y: barTop, width: barWidth, height: BAR_HEIGHT, rx: 3, fill: bar.color }),
      part > 0 && svg('rect', { x: labelWidth + barWidth - part, y: barTop, width: part, height: BAR_HEIGHT, rx: 3, fill: bar.part?.color ?? bar.color, class: 'bar-part' }),
      svg('text', { x: labelWidth + barWidth + 6, y: middle, class: 'bar-value', 'dominant-baseline': 'central' }, bar.valueText),
    );
  });

  return svg(
    'svg',
    { class: 'chart bar-chart', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': `${description}. ${summary}` },
    rows,
  );
}
