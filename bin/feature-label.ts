/**
 * The step the feature-label workflow runs on each pull_request event: reads the event GitHub Actions wrote
 * to $GITHUB_EVENT_PATH and writes `add` and `remove` (comma-separated labels) to $GITHUB_OUTPUT.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { labelChanges } from '../lambdas/features/feature-slug.ts';

interface PullRequestEvent {
  readonly pull_request?: { readonly head?: { readonly ref?: unknown }; readonly body?: unknown; readonly labels?: readonly { readonly name?: unknown }[] };
}

const eventPath = process.env.GITHUB_EVENT_PATH;
const outputPath = process.env.GITHUB_OUTPUT;
if (eventPath === undefined || outputPath === undefined) {
  process.stderr.write('feature-label: GITHUB_EVENT_PATH and GITHUB_OUTPUT must be set (run it from a pull_request workflow)\n');
  process.exit(2);
}
const event = JSON.parse(readFileSync(eventPath, 'utf8')) as PullRequestEvent;
const pullRequest = event.pull_request;
const branch = pullRequest?.head?.ref;
if (typeof branch !== 'string') {
  process.stderr.write('feature-label: the event holds no pull_request.head.ref; trigger the workflow on pull_request\n');
  process.exit(2);
}
const changes = labelChanges({
  branch,
  body: typeof pullRequest?.body === 'string' ? pullRequest.body : null,
  labels: (pullRequest?.labels ?? []).flatMap((label) => (typeof label.name === 'string' ? [label.name] : [])),
});
appendFileSync(outputPath, `add=${changes.add ?? ''}\nremove=${changes.remove.join(',')}\n`);
process.stdout.write(`feature label: add ${changes.add ?? '(none)'}, remove ${changes.remove.join(', ') || '(none)'}\n`);
