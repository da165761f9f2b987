import { afterEach, describe, expect, it } from 'vitest';
import { GitHubPullRequestReader } from '../../../lambdas/features/github/pull-request-reader.ts';
import { sessionFeature } from '../../../lambdas/features/session-features.ts';
import { GITHUB_TOKEN, startFakeGitHub } from '../../support/fake-github.ts';
import type { FakePullRequest } from '../../support/fake-github.ts';
import { manualClock } from '../../support/fake-partner-server.ts';

const T0 = Date.parse('2026-11-20T00:00:00Z');
const HOUR = 3_600_000;
const iso = (hours: number): string => new Date(T0 + hours * HOUR).toISOString();

const base: Omit<FakePullRequest, 'number'> = {
  repo: 'acme/shop',
  login: 'ann',
  branch: 'feat/checkout',
  body: null,
  labels: [],
  created: iso(1),
  updated: iso(30),
  merged: iso(30),
  closed: iso(30),
  commits: [{ login: 'ann', email: 'ann@acme.test', date: iso(0) }],
};

const PRS: FakePullRequest[] = [
  // Two authors: Bob's commits carry a noreply address, so only the login mapping names him.
  { ...base, number: 1, commits: [{ login: 'ann', email: 'ann@acme.test', date: iso(0) }, { login: 'bob', email: '123+bob@users.noreply.github.com', date: iso(5) }] },
  // The same feature in a second repository, by label.
  { ...base, repo: 'acme/payments', number: 7, branch: 'wip', labels: ['feature/checkout', 'bug'] },
  // Overlaps PR 1 and began later: a session in both windows goes here.
  { ...base, number: 2, branch: 'PAY-9-search', created: iso(10), updated: iso(29), merged: null, closed: null, commits: [{ login: 'ann', email: 'ann@acme.test', date: iso(10) }] },
  // Updated before the window asked for: never read.
  { ...base, number: 3, branch: 'feat/old', updated: iso(-100), merged: iso(-100), closed: iso(-100) },
  // Filler, so that the list takes two pages of 100.
  ...Array.from({ length: 150 }, (_, i): FakePullRequest => ({ ...base, number: 100 + i, branch: `chore/${i}`, updated: iso(20), commits: [] })),
];

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function reader(token = GITHUB_TOKEN) {
  const fake = await startFakeGitHub(PRS);
  cleanups.push(() => fake.close());
  const clock = manualClock(T0 + 40 * HOUR);
  const github = new GitHubPullRequestReader({
    baseUrl: fake.url,
    token,
    loginEmails: new Map([['bob', 'bob@acme.test']]),
    policy: { maxAttempts: 4, maxWaitMs: 120_000, attemptTimeoutMs: 5_000, baseBackoffMs: 1_000, maxBackoffMs: 8_000, sleep: clock.sleep, now: clock.now, random: clock.random },
  });
  return { fake, github, clock };
}

describe('GitHubPullRequestReader', () => {
  it('reads every page of PRs and commits, with each PR\'s feature, people and window', async () => {
    const { github, fake } = await reader();
    const shop = await github.work('acme/shop', T0);
    expect(shop).toHaveLength(152);
    expect(fake.calls.pulls).toBe(2);
    expect(shop.filter((pr) => pr.number < 100)).toEqual([
      { repo: 'acme/shop', number: 1, feature: 'checkout', people: ['ann@acme.test', 'bob@acme.test'], startMs: T0, endMs: T0 + 30 * HOUR },
      { repo: 'acme/shop', number: 2, feature: 'pay-9', people: ['ann@acme.test'], startMs: T0 + 10 * HOUR, endMs: null },
    ]);
    const payments = await github.work('acme/payments', T0);
    expect(payments.map((pr) => [pr.number, pr.feature])).toEqual([[7, 'checkout']]);

    const all = [...shop, ...payments];
    const sessions = [
      { user_email: 'bob@acme.test', repo: 'acme/shop', firstMs: T0 + 4 * HOUR, lastMs: T0 + 6 * HOUR },
      { user_email: 'ann@acme.test', repo: 'acme/payments', firstMs: T0 + 4 * HOUR, lastMs: T0 + 6 * HOUR },
      { user_email: 'ann@acme.test', repo: 'acme/shop', firstMs: T0 + 12 * HOUR, lastMs: T0 + 13 * HOUR },
      { user_email: 'eve@acme.test', repo: 'acme/shop', firstMs: T0 + 12 * HOUR, lastMs: T0 + 13 * HOUR },
    ];
    expect(sessions.map((s) => sessionFeature(s, all))).toEqual(['checkout', 'checkout', 'pay-9', 'unattributed']);
  });

  it('waits out a secondary rate limit (403 with retry-after) and the primary one (x-ratelimit-reset), then goes on', async () => {
    const { github, fake, clock } = await reader();
    // After the first wait the server's clock reads 60 s on; its reset is 42 s after that.
    const afterFirstWait = clock.now() + 60_000;
    const reset = afterFirstWait / 1000 + 42;
    fake.failNext('pulls', { status: 403, headers: { 'retry-after': '60' } });
    fake.failNext('commits', { status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset), date: new Date(afterFirstWait).toUTCString() } });
    expect(await github.work('acme/payments', T0)).toHaveLength(1);
    expect(clock.sleeps).toEqual([60_000, 42_000]);
  });

  it('refuses with GitHub\'s own message: a plain 403 is not retried, nor a bad token', async () => {
    const { github, fake } = await reader();
    fake.failNext('pulls', { status: 403, body: JSON.stringify({ message: 'Resource not accessible by integration' }) });
    await expect(github.work('acme/shop', T0)).rejects.toThrow('GitHub: GET /repos/acme/shop/pulls answered 403: Resource not accessible by integration');
    expect(fake.calls.pulls).toBe(1);
    const bad = await reader('wrong');
    await expect(bad.github.work('acme/shop', T0)).rejects.toThrow('answered 401: Bad credentials');
    await expect(bad.github.work('../etc', T0)).rejects.toThrow('"../etc" is not an owner/name repository');
  });

  it('follows next links only on GitHub\'s own host, so the token goes nowhere else', async () => {
    const { github, fake } = await reader();
    fake.failNext('pulls', { status: 200, headers: { link: '<https://elsewhere.test/repos/acme/shop/pulls?page=2>; rel="next"' }, body: '[]' });
    await expect(github.work('acme/shop', T0)).rejects.toThrow('GitHub: GET /repos/acme/shop/pulls gave a next link to another host (https://elsewhere.test); refused to send credentials there');
  });
});
