/** The frame every chart and table sits in, so the rows of the board look alike. */
import { html } from '../dom.js';

/**
 * @param {{ title: string; subtitle?: string; wide?: boolean; id: string }} heading
 * @param {...(Node | null | false)} body
 */
export function panel({ title, subtitle, wide = false, id }, ...body) {
  return html(
    'article',
    { class: wide ? 'panel wide' : 'panel', 'aria-labelledby': `${id}-title`, 'data-panel': id },
    html('header', { class: 'panel-header' }, html('h3', { id: `${id}-title` }, title), subtitle ? html('p', { class: 'panel-subtitle' }, subtitle) : null),
    // On a narrow screen the body scrolls sideways rather than shrinking chart text past reading.
    html('div', { class: 'panel-body' }, ...body),
  );
}

/** A row of the board: one h2 and its panels. */
export function boardRow(/** @type {string} */ id, /** @type {string} */ title, /** @type {(Node | null | false)[]} */ ...content) {
  return html('section', { class: 'board-row', 'aria-labelledby': `${id}-heading`, id }, html('h2', { id: `${id}-heading` }, title), ...content);
}
