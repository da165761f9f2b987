/** A table with real header cells: column headers, and the first column as each row's header. */
import { html } from '../dom.js';

/**
 * @template Row
 * @typedef {{ readonly header: string; readonly numeric?: boolean; readonly cell: (row: Row) => Node | string }} Column
 */

/**
 * @template Row
 * @param {{ caption: string; columns: readonly Column<Row>[]; rows: readonly Row[]; footer?: Row; className?: string }} options
 *   `footer` is a totals row, rendered with the same columns.
 */
export function dataTable({ caption, columns, rows, footer, className = '' }) {
  /** @param {Row} row */
  const cells = (row) =>
    columns.map((column, index) =>
      index === 0
        ? html('th', { scope: 'row' }, column.cell(row))
        : html('td', { class: column.numeric ? 'numeric' : null }, column.cell(row)),
    );
  return html(
    'table',
    { class: `data-table ${className}`.trim() },
    html('caption', { class: 'visually-hidden' }, caption),
    html('thead', {}, html('tr', {}, columns.map((column) => html('th', { scope: 'col', class: column.numeric ? 'numeric' : null }, column.header)))),
    html('tbody', {}, rows.map((row) => html('tr', {}, cells(row)))),
    footer === undefined ? null : html('tfoot', {}, html('tr', {}, cells(footer))),
  );
}
