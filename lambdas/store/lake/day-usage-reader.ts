import { dayUsageFromRows } from '../../rollup/day-usage-rows.ts';
import { dayUsageSql } from '../../rollup/day-usage-sql.ts';
import type { DayUsage, DayUsageSource } from '../../rollup/types.ts';
import { athenaRows } from './athena-query.ts';
import type { AthenaTarget } from './athena-query.ts';
import { lakeDialect } from './athena-dialect.ts';

/** Athena's own default query timeout is 30 minutes; a rollup run must end well inside Lambda's 15. */
const DAY_QUERY_BUDGET_MS = 5 * 60_000;

/** Reads a day for the rollup out of the lake, through Athena: the same three queries as on Timestream. */
export class AthenaDayUsageSource implements DayUsageSource {
  readonly #target: AthenaTarget;

  constructor(target: AthenaTarget) {
    this.#target = target;
  }

  async readDay(day: string): Promise<DayUsage> {
    const sql = dayUsageSql(lakeDialect(this.#target.database), day);
    const deadline = (this.#target.now ?? Date.now)() + DAY_QUERY_BUDGET_MS;
    const [lines, sessions, activity] = await Promise.all([athenaRows(this.#target, sql.lines, deadline), athenaRows(this.#target, sql.sessions, deadline), athenaRows(this.#target, sql.activity, deadline)]);
    return dayUsageFromRows({ lines, sessions, activity });
  }
}
