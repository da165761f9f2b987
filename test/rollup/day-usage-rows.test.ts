import { describe, expect, it } from 'vitest';
import { StoreAnswerError, dayUsageFromRows } from '../../lambdas/rollup/day-usage-rows.ts';

const KEY = { user_email: 'dev@example.com', tool: 'claude_code', model: 'claude-opus-4-8', repo: null, session_id: 's-1' };
const LINE = { ...KEY, time_ms: 0, input_tokens: 1, cache_read_tokens: 0, cache_write_tokens: 0, output_tokens: 0, reasoning_tokens: 0, reported_cost_usd: null };

describe('a store answer as a day', () => {
  it('takes counts that a store returns as big integers or as numbers', () => {
    const day = dayUsageFromRows({ lines: [{ ...LINE, input_tokens: 12_345 }], sessions: [{ ...KEY, first_ms: 5n, last_ms: 9 }], activity: [{ ...KEY, metric: 'commits', value: 3 }] });
    expect([day.lines[0]?.input_tokens, day.sessions[0]?.first_ms, day.sessions[0]?.last_ms, day.activity[0]?.value]).toEqual([12_345, 5, 9, 3]);
  });

  it.each([
    [{ lines: [{ ...LINE, tool: null }] }, 'column tool is missing'],
    [{ lines: [{ ...LINE, model: 7 }] }, 'column model should be text, got 7'],
    [{ lines: [{ ...LINE, output_tokens: 1.5 }] }, 'column output_tokens should be a count, got 1.5'],
    [{ lines: [{ ...LINE, reported_cost_usd: 'free' }] }, 'column reported_cost_usd should be a number, got "free"'],
    [{ sessions: [{ ...KEY, first_ms: null, last_ms: 1 }] }, 'column first_ms should be a count, got null'],
    [{ sessions: [{ ...KEY, session_id: null, first_ms: 1, last_ms: 1 }] }, 'column session_id is missing'],
    [{ sessions: [{ ...KEY, first_ms: 9, last_ms: 5 }] }, 'a session ends (5) before it begins (9)'],
    [{ activity: [{ ...KEY, metric: 'edit_accepted', value: 1 }] }, 'activity metric edit_accepted was not asked for'],
  ])('refuses %j rather than roll up a wrong day', (rows, message) => {
    const call = () => dayUsageFromRows({ lines: [], sessions: [], activity: [], ...rows });
    expect(call).toThrow(StoreAnswerError);
    expect(call).toThrow(message);
  });
});
