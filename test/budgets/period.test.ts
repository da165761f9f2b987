import { describe, expect, it } from 'vitest';
import { isTimeZone, periodAt } from '../../lambdas/budgets/period.ts';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const bounds = (kind: 'day' | 'week' | 'month', zone: string, when: string) => {
  const period = periodAt(kind, zone, at(when));
  return [period.key, iso(period.startMs), iso(period.endMs)];
};

describe('periodAt', () => {
  it('gives UTC days, ISO weeks from Monday and calendar months', () => {
    expect(bounds('day', 'UTC', '2026-12-06T23:59:59.999Z')).toEqual(['2026-12-06', '2026-12-06T00:00:00.000Z', '2026-12-07T00:00:00.000Z']);
    // Sunday 6 December 2026 is in the week that started on Monday 30 November.
    expect(bounds('week', 'UTC', '2026-12-06T12:00:00Z')).toEqual(['2026-W49', '2026-11-30T00:00:00.000Z', '2026-12-07T00:00:00.000Z']);
    expect(bounds('month', 'UTC', '2026-12-06T12:00:00Z')).toEqual(['2026-12', '2026-12-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z']);
  });

  it('names a week by the year of its Thursday, across New Year', () => {
    expect(bounds('week', 'UTC', '2027-01-01T00:00:00Z')).toEqual(['2026-W53', '2026-12-28T00:00:00.000Z', '2027-01-04T00:00:00.000Z']);
    expect(bounds('week', 'UTC', '2025-12-31T00:00:00Z')).toEqual(['2026-W01', '2025-12-29T00:00:00.000Z', '2026-01-05T00:00:00.000Z']);
  });

  it('starts days at the zone\'s midnight, also on the days its clocks change', () => {
    expect(bounds('day', 'Europe/Berlin', '2026-12-06T23:30:00Z')).toEqual(['2026-12-07', '2026-12-06T23:00:00.000Z', '2026-12-07T23:00:00.000Z']);
    // 29 March 2026 in Berlin is 23 hours long; 25 October 25 hours.
    expect(bounds('day', 'Europe/Berlin', '2026-03-29T12:00:00Z')).toEqual(['2026-03-29', '2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z']);
    expect(bounds('day', 'Europe/Berlin', '2026-10-25T12:00:00Z')).toEqual(['2026-10-25', '2026-10-24T22:00:00.000Z', '2026-10-25T23:00:00.000Z']);
    expect(bounds('month', 'America/Los_Angeles', '2026-12-01T07:59:59Z')).toEqual(['2026-11', '2026-11-01T07:00:00.000Z', '2026-12-01T08:00:00.000Z']);
  });

  it('knows IANA zone names', () => {
    expect([isTimeZone('Asia/Kolkata'), isTimeZone('UTC'), isTimeZone('Mars/Olympus'), isTimeZone('')]).toEqual([true, true, false, false]);
  });
});
