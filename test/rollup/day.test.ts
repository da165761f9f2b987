import { describe, expect, it } from 'vitest';
import { dayBounds, daysFrom, scheduledDays } from '../../lambdas/rollup/day.ts';

describe('rollup days', () => {
  it('spans a UTC day', () => {
    expect(dayBounds('2026-11-22')).toEqual({ fromMs: Date.parse('2026-11-22T00:00:00Z'), toMs: Date.parse('2026-11-23T00:00:00Z') });
  });

  it('lists a range with both ends, across a month end', () => {
    expect(daysFrom('2026-11-29', '2026-12-02')).toEqual(['2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02']);
    expect(daysFrom('2026-11-22', '2026-11-22')).toEqual(['2026-11-22']);
  });

  it.each([
    [() => dayBounds('2026-02-30'), 'day "2026-02-30" is not a day (use YYYY-MM-DD)'],
    [() => dayBounds('22.11.2026'), 'day "22.11.2026" is not a day'],
    [() => daysFrom('2026-11-22', 'tomorrow'), 'last day "tomorrow" is not a day'],
    [() => daysFrom('2026-11-22', '2026-11-21'), 'the range ends (2026-11-21) before it starts (2026-11-22)'],
  ])('refuses %#', (call, message) => {
    expect(call).toThrow(message);
  });

  it('schedules the day before yesterday and yesterday, from any time of today', () => {
    expect(scheduledDays(Date.parse('2026-11-23T01:30:00Z'))).toEqual(['2026-11-21', '2026-11-22']);
    expect(scheduledDays(Date.parse('2026-11-23T23:59:59.999Z'))).toEqual(['2026-11-21', '2026-11-22']);
  });
});
