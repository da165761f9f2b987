import { RECORD_KINDS } from '../../records/schema.ts';
import { RECORD_ID_DIMENSION, layoutOf } from '../timestream/layout.ts';

/** The view that lays the local tables out like the deployed Timestream table. */
export const EVENTS_VIEW = 'events';

/**
 * The local records as the one-table Timestream layout holds them: every kind in one relation, told apart by
 * `measure_name`; `time` a TIMESTAMP; the id as the `record_id` dimension; each kind's dimensions and measures
 * as columns, NULL where a kind has none. Timestream stores no empty string (it leaves the value out and reads
 * NULL), so neither does the view. SQL written for the Timestream table — the Grafana board, the local
 * dashboard's panels — therefore reads the same rows here.
 */
export function eventsViewSql(): string {
  const selects = RECORD_KINDS.map((kind) => {
    const { dimensions, measures } = layoutOf(kind);
    const columns = [...dimensions, ...measures].map((column) => (column.type === 'string' ? `nullif(${column.name}, '') AS ${column.name}` : column.name));
    return `SELECT '${kind}' AS measure_name, epoch_ms(time_ms) AS time, id AS ${RECORD_ID_DIMENSION}, ${columns.join(', ')} FROM ${kind}`;
  });
  // A TEMP view is defined anew on every open, read-only ones included, so it never needs migrating.
  return `CREATE OR REPLACE TEMP VIEW ${EVENTS_VIEW} AS ${selects.join(' UNION ALL BY NAME ')}`;
}
