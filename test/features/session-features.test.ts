import { describe, expect, it } from 'vitest';
import { UNATTRIBUTED, sessionFeature } from '../../lambdas/features/session-features.ts';
import type { PullRequestWork, SessionSpan } from '../../lambdas/features/session-features.ts';

const H = 3_600_000;
const T0 = Date.parse('2026-11-22T00:00:00Z');

const pr = (number: number, fields: Partial<PullRequestWork>): PullRequestWork => ({
  repo: 'acme/shop',
  number,
  feature: 'checkout',
  people: ['ann@example.com'],
  startMs: T0,
  endMs: T0 + 10 * H,
  ...fields,
});
const session = (fields: Partial<SessionSpan>): SessionSpan => ({ user_email: 'ann@example.com', repo: 'acme/shop', firstMs: T0 + H, lastMs: T0 + 2 * H, ...fields });

describe('sessionFeature', () => {
  it('gives a session the feature of its user\'s PR in its repo whose window it overlaps', () => {
    expect(sessionFeature(session({}), [pr(1, {})])).toBe('checkout');
    expect(sessionFeature(session({ user_email: ' Ann@Example.com ', repo: 'Acme/Shop' }), [pr(1, {})])).toBe('checkout');
  });

  it('counts every author and committer of a PR', () => {
    const shared = pr(1, { people: ['ann@example.com', 'bob@example.com'] });
    expect(sessionFeature(session({ user_email: 'bob@example.com' }), [shared])).toBe('checkout');
    expect(sessionFeature(session({ user_email: 'eve@example.com' }), [shared])).toBe(UNATTRIBUTED);
  });

  it('attributes sessions in two repositories to the one feature both PRs carry', () => {
    const prs = [pr(1, {}), pr(7, { repo: 'acme/payments' })];
    expect([sessionFeature(session({}), prs), sessionFeature(session({ repo: 'acme/payments' }), prs)]).toEqual(['checkout', 'checkout']);
    expect(sessionFeature(session({ repo: 'acme/other' }), prs)).toBe(UNATTRIBUTED);
  });

  it('leaves sessions outside every window, without a user or repo, or on PRs without a feature unattributed', () => {
    expect(sessionFeature(session({ firstMs: T0 + 11 * H, lastMs: T0 + 12 * H }), [pr(1, {})])).toBe(UNATTRIBUTED);
    expect(sessionFeature(session({ firstMs: T0 - 2 * H, lastMs: T0 - H }), [pr(1, {})])).toBe(UNATTRIBUTED);
    expect(sessionFeature(session({ user_email: null }), [pr(1, {})])).toBe(UNATTRIBUTED);
    expect(sessionFeature(session({ repo: null }), [pr(1, {})])).toBe(UNATTRIBUTED);
    expect(sessionFeature(session({}), [pr(1, { feature: null })])).toBe(UNATTRIBUTED);
  });

  it('keeps open PRs open-ended', () => {
    expect(sessionFeature(session({ firstMs: T0 + 100 * H, lastMs: T0 + 101 * H }), [pr(1, { endMs: null })])).toBe('checkout');
  });

  describe('a session overlapping two PRs goes to one', () => {
    it('the one it overlaps longest', () => {
      const prs = [pr(1, { feature: 'checkout', endMs: T0 + H + 10 * 60_000 }), pr(2, { feature: 'search', startMs: T0 + H + 20 * 60_000 })];
      expect(sessionFeature(session({}), prs)).toBe('search');
    });

    it('on equal overlap, the one begun last, then the lower number, whatever order they come in', () => {
      const older = pr(1, { feature: 'checkout' });
      const newer = pr(2, { feature: 'search', startMs: T0 + H / 2 });
      expect([sessionFeature(session({}), [older, newer]), sessionFeature(session({}), [newer, older])]).toEqual(['search', 'search']);
      const twin = pr(3, { feature: 'refunds', startMs: T0 + H / 2 });
      expect([sessionFeature(session({}), [twin, newer]), sessionFeature(session({}), [newer, twin])]).toEqual(['search', 'search']);
    });
  });
});
