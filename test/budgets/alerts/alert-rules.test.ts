import { describe, expect, it } from 'vitest';
import { dueAlerts } from '../../../lambdas/budgets/alerts/alert-rules.ts';
import { parseBudget } from '../../../lambdas/budgets/definition.ts';
import type { SpendSource } from '../../../lambdas/budgets/spend.ts';

const DAY = Date.parse('2026-12-07T00:00:00Z');
const MINUTE = 60_000;

/** The simulated clock: exports after it have not happened yet. */
let nowMs = DAY;

/** Spend as one export a minute, stamped at the minute's start: `usdAt(minute of the day)` dollars in each. */
function minuteExports(usdAt: (minute: number) => number): SpendSource {
  const sum = (startMs: number, endMs: number) => {
    let usd = 0;
    const end = Math.min(endMs, nowMs);
    for (let minute = Math.max(0, Math.ceil((startMs - DAY) / MINUTE)); DAY + minute * MINUTE < end && minute < 1440; minute += 1) usd += usdAt(minute);
    return usd;
  };
  return {
    spend: async (query) => ({ usd: sum(query.startMs, query.endMs), tokens: 0, unpricedTokens: 0 }),
    top: async () => [],
  };
}

const budget = parseBudget({ name: 'payments', scope: 'team:payments', period: 'day', limit_usd: 80, soft: [0.7] });
const WORK = (minute: number) => (minute >= 9 * 60 && minute < 17 * 60 ? 0.1 : 0);

/** Every alert key that comes due when evaluated once a minute over the day, with the minute it first did. */
async function keysOverTheDay(spends: SpendSource): Promise<Map<string, number>> {
  const first = new Map<string, number>();
  for (let minute = 1; minute <= 1440; minute += 1) {
    nowMs = DAY + minute * MINUTE;
    for (const alert of await dueAlerts(budget, spends, [], nowMs)) if (!first.has(alert.key)) first.set(alert.key, minute);
  }
  return first;
}

describe('dueAlerts', () => {
  it('raises nothing over a steady workday that ends at 60 % of the limit', async () => {
    expect(await keysOverTheDay(minuteExports(WORK))).toEqual(new Map());
  });

  it('on a runaway that ramps 10× in ten minutes: a spike, then a projection, then each threshold, each once', async () => {
    // From 10:00 the rate climbs from $0.10 to $1.00 a minute by 10:10 and stays there: a retry loop.
    const runaway = (minute: number) => (minute < 9 * 60 ? 0 : minute < 10 * 60 ? 0.1 : Math.min(1, 0.1 + (minute - 600) * 0.09));
    const first = await keysOverTheDay(minuteExports(runaway));
    const at = (key: string) => {
      const minute = first.get(key);
      return minute === undefined ? undefined : `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
    };
    // Once the rate holds at $1 a minute, the last 5 minutes are the usual ones again: no spike in the 11:00 hour.
    expect([...first.keys()].map(at)).toEqual(['10:06', '10:35', '10:55', '11:19']);
    expect([...first.keys()]).toEqual(['payments|2026-12-07|spike:2026-12-07T10', 'payments|2026-12-07|projection', 'payments|2026-12-07|threshold:0.7', 'payments|2026-12-07|threshold:1']);
  });

  it('is silenced by a grant that lifts the limit, and counts a grant\'s extra in the limit', async () => {
    // Ten hours at $0.20 a minute: $120 by 10:00.
    const spends = minuteExports((minute) => (minute < 600 ? 0.2 : 0));
    const now = DAY + 600 * MINUTE;
    nowMs = now;
    const lift = { target: 'payments', untilMs: now + 1, extraUsd: null, grantedBy: 'oncall@example.com', reason: 'incident' };
    expect(await dueAlerts(budget, spends, [lift], now)).toEqual([]);
    const extra = { ...lift, extraUsd: 100 };
    // Over the $80 limit, but under 70 % of $180; the rate so far still projects past $180 by midnight.
    expect((await dueAlerts(budget, spends, [extra], now)).map((alert) => alert.key)).toEqual(['payments|2026-12-07|projection']);
    expect((await dueAlerts(budget, spends, [], now)).map((alert) => alert.key)).toEqual(['payments|2026-12-07|threshold:0.7', 'payments|2026-12-07|threshold:1']);
  });
});
