/**
 * One day of sessions and the pull requests they worked toward, for the feature attribution tests: a PR with
 * two authors, one feature across two repositories, a session overlapping two PRs, and sessions of no PR.
 * Expected, by feature: checkout 7,500 input tokens (sessions a, b, c), pay-9 24,000 (d), unattributed
 * 96,000 (e, and a line with no session).
 */
import { GITHUB_TOKEN } from './fake-github.ts';
import type { FakePullRequest } from './fake-github.ts';
import { usage } from './records.ts';

export const FEATURE_DAY = '2026-11-22';
const at = (time: string): string => `${FEATURE_DAY}T${time}:00Z`;
const ms = (time: string): number => Date.parse(at(time));

const pr = (fields: Partial<FakePullRequest> & Pick<FakePullRequest, 'repo' | 'number' | 'branch' | 'created'>): FakePullRequest => ({
  login: 'ann',
  body: null,
  labels: [],
  updated: at('18:00'),
  merged: null,
  closed: null,
  commits: [{ login: 'ann', email: 'ann@acme.test', date: fields.created }],
  ...fields,
});

export const FEATURE_PULL_REQUESTS: FakePullRequest[] = [
  // Two authors: Bob's commit carries a noreply address, so only the login mapping names him.
  pr({
    repo: 'acme/shop',
    number: 1,
    branch: 'feat/checkout',
    created: at('08:00'),
    merged: at('14:00'),
    closed: at('14:00'),
    commits: [
      { login: 'ann', email: 'ann@acme.test', date: at('08:00') },
      { login: 'bob', email: '42+bob@users.noreply.github.com', date: at('09:00') },
    ],
  }),
  // The same feature in a second repository, by its label; still open.
  pr({ repo: 'acme/payments', number: 7, branch: 'wip', labels: ['feature/checkout'], created: at('06:00') }),
  // Begun while PR 1 was still open: a session in both windows goes to the one it overlaps longer.
  pr({ repo: 'acme/shop', number: 2, branch: 'PAY-9-search', created: at('11:00'), merged: at('16:00'), closed: at('16:00') }),
];

const line = (id: string, fields: { user: string; repo: string; session: string | null; time: string; input: number; model?: string }) =>
  usage({
    id,
    user_email: fields.user,
    repo: fields.repo,
    session_id: fields.session,
    time_ms: ms(fields.time),
    model: fields.model ?? 'claude-opus-4-8',
    input_tokens: fields.input,
    cache_read_tokens: 0,
    output_tokens: 0,
  });

export const FEATURE_RECORDS = [
  // Ann in acme/shop, 09:00–10:00 on two models: only PR 1 was open then.
  line('a1', { user: 'ann@acme.test', repo: 'acme/shop', session: 'a', time: '09:00', input: 1_000 }),
  line('a2', { user: 'Ann@Acme.test', repo: 'acme/shop', session: 'a', time: '10:00', input: 500, model: 'claude-haiku-4-5' }),
  // Ann in acme/payments: PR 7, the same feature.
  line('b1', { user: 'ann@acme.test', repo: 'acme/payments', session: 'b', time: '12:00', input: 2_000 }),
  // Bob, known to GitHub by his login only.
  line('c1', { user: 'bob@acme.test', repo: 'acme/shop', session: 'c', time: '09:30', input: 4_000 }),
  // Ann 11:30–15:00: 2.5 h within PR 1, 3.5 h within PR 2, so PR 2 (pay-9).
  line('d1', { user: 'ann@acme.test', repo: 'acme/shop', session: 'd', time: '11:30', input: 8_000 }),
  line('d2', { user: 'ann@acme.test', repo: 'acme/shop', session: 'd', time: '15:00', input: 16_000 }),
  // Carl is on no pull request; the last line has no session to attribute.
  line('e1', { user: 'carl@acme.test', repo: 'acme/shop', session: 'e', time: '10:00', input: 32_000 }),
  line('f1', { user: 'ann@acme.test', repo: 'acme/shop', session: null, time: '10:00', input: 64_000 }),
];

/** The settings that read the scenario's repositories from the fake GitHub at `url`. */
export function featureEnv(url: string): NodeJS.ProcessEnv {
  return { GITHUB_API_URL: url, GITHUB_TOKEN, SEATMETER_GITHUB_REPOS: 'acme/shop, acme/payments', SEATMETER_GITHUB_LOGIN_EMAILS: 'bob=bob@acme.test' };
}
