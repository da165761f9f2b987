/**
 * Which feature a pull request works toward, from what its author already writes: a `Feature:` line in the
 * body (explicit, so it wins), else the branch name — `feat/<slug>` or `feature/<slug>`, or a ticket key
 * such as `PAY-123-fix-refunds` (the ticket is the feature). The answer is the slug of its
 * `feature/<slug>` label; null when nothing names one.
 */

/** Longest slug kept: GitHub labels hold 50 characters, and `feature/` takes 8 of them. */
export const MAX_SLUG_LENGTH = 42;
export const LABEL_PREFIX = 'feature/';

const BODY_LINE = /^[ \t]*feature:[ \t]*(.+?)[ \t]*$/im;
const FEATURE_BRANCH = /^(?:feat|feature)\/(.+)$/i;
// Ticket keys in capitals, as Jira and Linear write them, so that `release-2026` is not taken for one.
const TICKET_BRANCH = /^(?:[^/]+\/)?([A-Z][A-Z0-9]{1,9}-\d+)(?:$|[-_/])/;

/** Lower case, runs of anything but letters and digits as one hyphen, none at either end; null when nothing is left. */
export function slugOf(text: string): string | null {
  const slug = text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/^-+|-+$/g, '');
  return slug === '' ? null : slug;
}

export function featureSlug(pullRequest: { readonly branch: string; readonly body: string | null }): string | null {
  const line = BODY_LINE.exec(pullRequest.body ?? '')?.[1];
  const fromBody = line === undefined ? null : slugOf(line);
  if (fromBody !== null) return fromBody;
  const named = FEATURE_BRANCH.exec(pullRequest.branch)?.[1];
  if (named !== undefined) return slugOf(named);
  const ticket = TICKET_BRANCH.exec(pullRequest.branch)?.[1];
  return ticket === undefined ? null : slugOf(ticket);
}

export function featureLabel(slug: string): string {
  return `${LABEL_PREFIX}${slug}`;
}

/** What a pull request's labels should become: its feature's label added, other `feature/` labels removed. */
export function labelChanges(pullRequest: { readonly branch: string; readonly body: string | null; readonly labels: readonly string[] }): {
  readonly add: string | null;
  readonly remove: readonly string[];
} {
  const slug = featureSlug(pullRequest);
  // Without a rule's answer, labels set by hand stay: a person may know the feature better than the branch name.
  if (slug === null) return { add: null, remove: [] };
  const wanted = featureLabel(slug);
  return {
    add: pullRequest.labels.includes(wanted) ? null : wanted,
    remove: pullRequest.labels.filter((label) => label.startsWith(LABEL_PREFIX) && label !== wanted),
  };
}
