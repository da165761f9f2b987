/**
 * Test-only: turns a Grafana Timestream query into SQL the local store runs, doing what Grafana and the
 * Timestream plugin would do to it before Timestream sees it, then the few Timestream-only spellings DuckDB
 * lacks. The local `events` view has the Timestream table's columns, so nothing else changes.
 *
 *   1. Grafana interpolates dashboard variables: `${name:sqlstring}` is each chosen value quoted, `'` doubled,
 *      comma-separated; "All" is the variable's custom all value, inserted as it is.
 *   2. The plugin expands its macros (pkg/timestream/macros.go): `$__database`/`$__table` are the data
 *      source's defaults, `$__timeFilter` is `time BETWEEN from_milliseconds(from) AND from_milliseconds(to)`,
 *      `$__interval_ms` is a literal like `60000ms`.
 *   3. Timestream → DuckDB: `from_milliseconds(n)` is `epoch_ms(n)`; `bin(time, <duration>)` floors to a
 *      multiple of the duration since the epoch; the data source's table is the `events` view.
 *
 * Anything it does not know — another variable format, a macro left over, a variable the board does not
 * define — throws, so a query can never pass here by being run half-translated.
 */
import { EVENTS_VIEW } from '../../lambdas/store/duckdb/events-view.ts';

export const ALL = 'All';
export type Selection = typeof ALL | readonly string[];

export interface BoardVariable {
  readonly name: string;
  readonly allValue?: string;
}

export interface QueryContext {
  readonly fromMs: number;
  readonly toMs: number;
  readonly intervalMs: number;
  /** The board's variables, and what is chosen in each the query uses. */
  readonly variables: readonly BoardVariable[];
  readonly selections: Readonly<Record<string, Selection>>;
}

/** The data source's default database and table, as the provisioning example sets them. */
export const DEFAULT_DATABASE = 'seatmeter';
export const DEFAULT_TABLE = 'events';

const DURATION_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

function interpolateVariables(sql: string, context: QueryContext): string {
  return sql.replace(/\$\{(\w+)(?::(\w+))?\}/g, (_match, name: string, format: string | undefined) => {
    const variable = context.variables.find((candidate) => candidate.name === name);
    if (variable === undefined) throw new Error(`the query uses $${name}, which the board does not define`);
    const selection = context.selections[name];
    if (selection === undefined) throw new Error(`no selection given for $${name}`);
    if (selection === ALL) {
      if (variable.allValue === undefined) throw new Error(`$${name} has no custom all value`);
      return variable.allValue;
    }
    if (format !== 'sqlstring') throw new Error(`$${name} uses the format ${format ?? '(none)'}; only sqlstring is translated`);
    if (selection.length === 0) throw new Error(`Grafana never sends an empty selection for $${name}`);
    return selection.map(sqlString).join(',');
  });
}

function expandMacros(sql: string, context: QueryContext): string {
  return sql
    .replaceAll('$__database', DEFAULT_DATABASE)
    .replaceAll('$__table', DEFAULT_TABLE)
    .replaceAll('$__timeFilter', `time BETWEEN from_milliseconds(${context.fromMs}) AND from_milliseconds(${context.toMs})`)
    .replaceAll('$__interval_ms', `${context.intervalMs}ms`);
}

function toDuckDb(sql: string): string {
  return sql
    .replaceAll(`${DEFAULT_DATABASE}.${DEFAULT_TABLE}`, EVENTS_VIEW)
    .replace(/from_milliseconds\((\d+)\)/g, 'epoch_ms($1)')
    .replace(/bin\(time, (\d+)(ms|s|m|h|d)\)/g, (_match, amount: string, unit: string) => {
      const ms = Number(amount) * (DURATION_MS[unit] ?? Number.NaN);
      return `epoch_ms(epoch_ms(time) // ${ms} * ${ms})`;
    });
}

export function translate(timestreamSql: string, context: QueryContext): string {
  const sql = toDuckDb(expandMacros(interpolateVariables(timestreamSql, context), context));
  const leftover = /\$\w+|\bbin\(|\bfrom_milliseconds\(|::/.exec(sql);
  if (leftover !== null) throw new Error(`"${leftover[0]}" is left untranslated in: ${sql}`);
  return sql;
}
