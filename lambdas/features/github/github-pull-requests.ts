import type { RetryPolicy } from '../../rollup/http-retry.ts';
import type { PullRequestSource } from '../../rollup/sources.ts';
import type { PullRequestWork } from '../session-features.ts';
import { GitHubPullRequestReader } from './pull-request-reader.ts';
import type { GitHubSettings } from './github-settings.ts';

/** The configured repositories' pull requests, one repository after another (GitHub asks clients not to run requests in parallel). */
export class GitHubPullRequests implements PullRequestSource {
  readonly #settings: GitHubSettings;
  readonly #reader: GitHubPullRequestReader;

  constructor(settings: GitHubSettings, policy?: RetryPolicy) {
    this.#settings = settings;
    this.#reader = new GitHubPullRequestReader({ baseUrl: settings.baseUrl, token: settings.token, loginEmails: settings.loginEmails, ...(policy === undefined ? {} : { policy }) });
  }

  get repos(): readonly string[] {
    return this.#settings.repos;
  }

  /** `onRepo` is told after each repository, for a progress bar. */
  async pullRequests(sinceMs: number, onRepo: (done: number) => void = () => undefined): Promise<PullRequestWork[]> {
    const work: PullRequestWork[] = [];
    for (const [i, repo] of this.#settings.repos.entries()) {
      work.push(...(await this.#reader.work(repo, sinceMs)));
      onRepo(i + 1);
    }
    return work;
  }
}
