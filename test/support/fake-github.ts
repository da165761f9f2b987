/**
 * GitHub's REST API as the feature reader uses it, on 127.0.0.1: "List pull requests" (state=all, sorted by
 * update, newest first) and "List commits on a pull request", paged by `per_page`/`page` with `Link` headers
 * as GitHub writes them, a bearer token, `x-ratelimit-*` headers, and GitHub's `{message, documentation_url}`
 * error bodies.
 */
import { startFakePartner } from './fake-partner-server.ts';
import type { FakeAnswer, RunningFake } from './fake-partner-server.ts';

export interface FakePullRequest {
  readonly repo: string;
  readonly number: number;
  readonly login: string;
  readonly branch: string;
  readonly body: string | null;
  readonly labels: readonly string[];
  readonly created: string;
  readonly updated: string;
  readonly merged: string | null;
  readonly closed: string | null;
  readonly commits: readonly { readonly login: string | null; readonly email: string; readonly date: string }[];
}

export type GitHubRoute = 'pulls' | 'commits';

export const GITHUB_TOKEN = 'ghp_fake0123456789';

function page<T>(items: readonly T[], url: URL, host: string | undefined): { readonly items: readonly T[]; readonly link: string | undefined } {
  const perPage = Number(url.searchParams.get('per_page') ?? '30');
  const number = Number(url.searchParams.get('page') ?? '1');
  const items_ = items.slice((number - 1) * perPage, number * perPage);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const at = (n: number): string => {
    // The links name this server as the client reached it, as GitHub's name api.github.com.
    const target = new URL(`${url.pathname}${url.search}`, `http://${host ?? '127.0.0.1'}`);
    target.searchParams.set('page', String(n));
    return `<${target.href}>`;
  };
  const links = [...(number < last ? [`${at(number + 1)}; rel="next"`, `${at(last)}; rel="last"`] : []), ...(number > 1 ? [`${at(1)}; rel="first"`] : [])];
  return { items: items_, link: links.length === 0 ? undefined : links.join(', ') };
}

const errorBody = (status: number): string =>
  JSON.stringify({ message: status === 401 ? 'Bad credentials' : status === 404 ? 'Not Found' : 'You have exceeded a secondary rate limit.', documentation_url: 'https://docs.github.com/rest', status: String(status) });

export function startFakeGitHub(pullRequests: readonly FakePullRequest[]): Promise<RunningFake<GitHubRoute>> {
  return startFakePartner<GitHubRoute>({
    routes: ['pulls', 'commits'],
    routeOf: (request) => (/^\/repos\/[^/]+\/[^/]+\/pulls$/.test(request.url.pathname) ? 'pulls' : /^\/repos\/[^/]+\/[^/]+\/pulls\/\d+\/commits$/.test(request.url.pathname) ? 'commits' : null),
    answer: (route, request): FakeAnswer => {
      if (request.headers.authorization !== `Bearer ${GITHUB_TOKEN}`) return { status: 401, body: errorBody(401) };
      const [, , owner, name, , number] = request.url.pathname.split('/');
      const repo = `${owner}/${name}`;
      const mine = pullRequests.filter((pr) => pr.repo === repo);
      if (route === 'pulls') {
        const sorted = [...mine].sort((a, b) => (a.updated < b.updated ? 1 : -1));
        const { items, link } = page(sorted, request.url, request.headers.host);
        const body = items.map((pr) => ({
          number: pr.number,
          user: { login: pr.login },
          head: { ref: pr.branch },
          body: pr.body,
          labels: pr.labels.map((label) => ({ name: label })),
          created_at: pr.created,
          updated_at: pr.updated,
          closed_at: pr.closed,
          merged_at: pr.merged,
        }));
        return { status: 200, headers: link === undefined ? {} : { link }, body: JSON.stringify(body) };
      }
      const pr = mine.find((p) => String(p.number) === number);
      if (pr === undefined) return { status: 404, body: errorBody(404) };
      const { items, link } = page(pr.commits, request.url, request.headers.host);
      const body = items.map((c) => ({ author: c.login === null ? null : { login: c.login }, commit: { author: { name: 'x', email: c.email, date: c.date } } }));
      return { status: 200, headers: link === undefined ? {} : { link }, body: JSON.stringify(body) };
    },
    errorBody,
    commonHeaders: () => ({ 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '4999' }),
  });
}
