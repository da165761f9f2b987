/**
 * The pull requests of one repository as attribution needs them (GitHub REST API, "List pull requests" and
 * "List commits on a pull request"): every page through `Link` rel="next", throttling waited out — the primary
 * limit (`x-ratelimit-remaining: 0` until `x-ratelimit-reset`) and the secondary one (403 or 429 with
 * `retry-after`) — and any other refusal thrown with GitHub's own message, so no partial list is used.
 */
import { DEFAULT_RETRY_POLICY, errorDetail, sendWithRetry, serverNow } from '../../rollup/http-retry.ts';
import type { PartnerResponse, RetryPolicy } from '../../rollup/http-retry.ts';
import { PartnerApiError } from '../../rollup/partner-errors.ts';
import { NextPages } from '../../rollup/link-header.ts';
import { LABEL_PREFIX, featureSlug } from '../feature-slug.ts';
import type { PullRequestWork } from '../session-features.ts';

export interface GitHubReaderOptions {
  /** `https://api.github.com`, or a GitHub Enterprise Server's `https://HOST/api/v3`. */
  readonly baseUrl: string;
  readonly token: string;
  /** GitHub logins, lower-cased, → email, for people whose commits carry a private `noreply` address. */
  readonly loginEmails: ReadonlyMap<string, string>;
  readonly policy?: RetryPolicy;
}

interface WirePullRequest {
  readonly number: number;
  readonly user: { readonly login: string } | null;
  readonly head: { readonly ref: string };
  readonly body: string | null;
  readonly labels: readonly { readonly name: string }[];
  readonly created_at: string;
  readonly updated_at: string;
  readonly closed_at: string | null;
  readonly merged_at: string | null;
}

interface WireCommit {
  readonly author: { readonly login: string } | null;
  readonly commit: { readonly author: { readonly email: string; readonly date: string } | null };
}

/** Throttled, by either limit: the request can succeed after the wait. */
function throttled(response: PartnerResponse): boolean {
  return (response.status === 403 || response.status === 429) && (response.headers.has('retry-after') || response.headers.get('x-ratelimit-remaining') === '0');
}

function gitHubWaitMs(response: PartnerResponse, now: number): number | null {
  const retryAfter = Number(response.headers.get('retry-after') ?? Number.NaN);
  if (Number.isFinite(retryAfter) && retryAfter >= 0) return retryAfter * 1000;
  if (response.headers.get('x-ratelimit-remaining') !== '0') return null;
  const reset = Number(response.headers.get('x-ratelimit-reset'));
  if (!Number.isSafeInteger(reset) || reset <= 0) return null;
  return Math.max(0, reset * 1000 - serverNow(response, now));
}

function gitHubDetail(body: string): string {
  return errorDetail(body, (json) => (typeof json.message === 'string' ? json.message : null));
}

function time(text: string, what: string): number {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new PartnerApiError('GitHub', 200, `${what} is not a time: ${JSON.stringify(text)}`);
  return ms;
}

export class GitHubPullRequestReader {
  readonly #options: GitHubReaderOptions;

  constructor(options: GitHubReaderOptions) {
    this.#options = options;
  }

  /** The repository's PRs updated at or after `sinceMs`, each with its feature, people and working window. */
  async work(repo: string, sinceMs: number): Promise<PullRequestWork[]> {
    if (!/^[\w.-]+\/[\w.-]+$/.test(repo) || repo.split('/').some((part) => /^\.+$/.test(part))) throw new PartnerApiError('GitHub', null, `"${repo}" is not an owner/name repository`);
    const work: PullRequestWork[] = [];
    const first = `${this.#options.baseUrl}/repos/${repo}/pulls?state=all&sort=updated&direction=desc&per_page=100`;
    for await (const page of this.#pages<WirePullRequest>(first, `GET /repos/${repo}/pulls`)) {
      const recent = page.filter((pr) => time(pr.updated_at, 'updated_at') >= sinceMs);
      for (const pr of recent) work.push(await this.#workOf(repo, pr));
      // Sorted by update, newest first: the first older PR ends what the window needs.
      if (recent.length < page.length) break;
    }
    return work;
  }

  async #workOf(repo: string, pr: WirePullRequest): Promise<PullRequestWork> {
    const people = new Set<string>();
    const addLogin = (login: string | undefined): void => {
      const email = login === undefined ? undefined : this.#options.loginEmails.get(login.toLowerCase());
      if (email !== undefined) people.add(email.toLowerCase());
    };
    addLogin(pr.user?.login);
    let startMs = time(pr.created_at, 'created_at');
    const commits = `${this.#options.baseUrl}/repos/${repo}/pulls/${pr.number}/commits?per_page=100`;
    for await (const page of this.#pages<WireCommit>(commits, `GET /repos/${repo}/pulls/${pr.number}/commits`)) {
      for (const commit of page) {
        addLogin(commit.author?.login);
        const author = commit.commit.author;
        if (author === null) continue;
        // The commit email is the fallback identity, for committers no login mapping names.
        if (!author.email.endsWith('@users.noreply.github.com')) people.add(author.email.toLowerCase());
        startMs = Math.min(startMs, time(author.date, 'commit date'));
      }
    }
    const label = pr.labels.find((l) => l.name.startsWith(LABEL_PREFIX));
    return {
      repo,
      number: pr.number,
      feature: label === undefined ? featureSlug({ branch: pr.head.ref, body: pr.body }) : label.name.slice(LABEL_PREFIX.length),
      people: [...people].sort(),
      startMs,
      endMs: pr.merged_at !== null ? time(pr.merged_at, 'merged_at') : pr.closed_at !== null ? time(pr.closed_at, 'closed_at') : null,
    };
  }

  async *#pages<T>(first: string, label: string): AsyncGenerator<T[]> {
    const pages = new NextPages('GitHub', label, first);
    for (let url: string | null = first; url !== null; ) {
      const target: string = url;
      const response = await sendWithRetry(
        {
          partner: 'GitHub',
          label,
          send: (signal) =>
            fetch(target, {
              headers: { accept: 'application/vnd.github+json', authorization: `Bearer ${this.#options.token}`, 'x-github-api-version': '2022-11-28' },
              signal,
            }),
          requestedWaitMs: gitHubWaitMs,
          throttled,
        },
        this.#options.policy ?? DEFAULT_RETRY_POLICY,
      );
      if (response.status !== 200) throw new PartnerApiError('GitHub', response.status, `${label} answered ${response.status}: ${gitHubDetail(response.body)}`);
      const body: unknown = JSON.parse(response.body);
      if (!Array.isArray(body)) throw new PartnerApiError('GitHub', 200, `${label} did not answer a list`);
      yield body as T[];
      url = pages.next(response.headers.get('link'));
    }
  }
}
