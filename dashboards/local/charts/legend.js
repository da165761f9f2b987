/** The key under a chart: a colour swatch and a name per series, as real text. */
import { html } from '../dom.js';

/** @param {readonly { label: string; color: string }[]} entries */
export function legend(entries) {
  return html(
    'ul',
    { class: 'legend', 'aria-label': 'Legend' },
    entries.map((entry) => html('li', {}, html('span', { class: 'swatch', style: `background:${entry.color}`, 'aria-hidden': 'true' }), entry.label)),
  );
}
