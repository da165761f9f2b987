/**
 * Which feature a coding session worked toward: the feature of a pull request in the same repository, that
 * the session's user authored or committed to, whose working window (first commit to merge or close, open
 * PRs to now) the session overlaps. A session goes to one feature only, so features sum to the total:
 * - the PR the session overlaps longest wins;
 * - on a tie, the PR whose window started last (the branch most recently begun);
 * - then the lower PR number, so the answer never depends on the order PRs were read in.
 * A session that matches no PR, or only PRs without a feature, is `unattributed`.
 */

import { normalizeEmail } from '../rollup/teams.ts';

export const UNATTRIBUTED = 'unattributed';

export interface PullRequestWork {
  /** `owner/name`, as sessions name their repository. */
  readonly repo: string;
  readonly number: number;
  /** The slug of its `feature/` label; null when it has none. */
  readonly feature: string | null;
  /** Author's and committers' emails, lower-cased (GitHub logins already mapped to emails). */
  readonly people: readonly string[];
  readonly startMs: number;
  /** Merge or close time; null while the PR is open. */
  readonly endMs: number | null;
}

export interface SessionSpan {
  readonly user_email: string | null;
  readonly repo: string | null;
  readonly firstMs: number;
  readonly lastMs: number;
}

function overlapMs(session: SessionSpan, pr: PullRequestWork): number | null {
  const from = Math.max(session.firstMs, pr.startMs);
  const to = Math.min(session.lastMs, pr.endMs ?? Number.POSITIVE_INFINITY);
  return to < from ? null : to - from;
}

export function sessionFeature(session: SessionSpan, pullRequests: readonly PullRequestWork[]): string {
  const email = normalizeEmail(session.user_email);
  const repo = session.repo?.toLowerCase();
  if (email === null || repo === undefined) return UNATTRIBUTED;
  let best: { readonly pr: PullRequestWork; readonly overlap: number } | null = null;
  for (const pr of pullRequests) {
    if (pr.feature === null || pr.repo.toLowerCase() !== repo || !pr.people.includes(email)) continue;
    const overlap = overlapMs(session, pr);
    if (overlap === null) continue;
    const wins =
      best === null ||
      overlap > best.overlap ||
      (overlap === best.overlap && (pr.startMs > best.pr.startMs || (pr.startMs === best.pr.startMs && pr.number < best.pr.number)));
    if (wins) best = { pr, overlap };
  }
  return best?.pr.feature ?? UNATTRIBUTED;
}
