import { describe, expect, it } from 'vitest';
import { ALL, translate } from './timestream-dialect.ts';
import type { QueryContext } from './timestream-dialect.ts';

const context: QueryContext = {
  fromMs: 1_000,
  toMs: 2_000,
  intervalMs: 60_000,
  variables: [{ name: 'user', allValue: "coalesce(user_email, '')" }, { name: 'tool' }],
  selections: { user: ALL, tool: ["o'brien", 'codex'] },
};

describe('the test-only Timestream → DuckDB translation', () => {
  it('expands variables the way Grafana does and macros the way the plugin does, then the Timestream-only functions', () => {
    expect(
      translate(
        "SELECT bin(time, $__interval_ms) AS t FROM $__database.$__table WHERE $__timeFilter AND coalesce(user_email, '') IN (${user:sqlstring}) AND tool IN (${tool:sqlstring}) GROUP BY bin(time, 1h)",
        context,
      ),
    ).toBe(
      "SELECT epoch_ms(epoch_ms(time) // 60000 * 60000) AS t FROM events WHERE time BETWEEN epoch_ms(1000) AND epoch_ms(2000) AND coalesce(user_email, '') IN (coalesce(user_email, '')) AND tool IN ('o''brien','codex') GROUP BY epoch_ms(epoch_ms(time) // 3600000 * 3600000)",
    );
  });

  it.each([
    ['SELECT 1 FROM $__database.$__table WHERE team IN (${team:sqlstring})', 'the query uses $team, which the board does not define'],
    ['SELECT ${tool:csv}', '$tool uses the format csv; only sqlstring is translated'],
    ['SELECT ${tool}', '$tool uses the format (none); only sqlstring is translated'],
    ['SELECT measure_value::double FROM $__database.$__table', '"::" is left untranslated'],
    ['SELECT 1 WHERE $__timeFrom < 5', '"$__timeFrom" is left untranslated'],
    ['SELECT bin(time, 5x)', '"bin(" is left untranslated'],
  ])('refuses what it cannot translate: %s', (sql, message) => {
    expect(() => translate(sql, context)).toThrow(message);
  });

  it('refuses All for a variable without a custom all value, and an empty or missing selection', () => {
    expect(() => translate('${tool:sqlstring}', { ...context, selections: { tool: ALL } })).toThrow('$tool has no custom all value');
    expect(() => translate('${tool:sqlstring}', { ...context, selections: { tool: [] } })).toThrow('Grafana never sends an empty selection for $tool');
    expect(() => translate('${tool:sqlstring}', { ...context, selections: {} })).toThrow('no selection given for $tool');
  });
});
