import { parseArgs } from 'node:util';
import { envValue } from '../../lambdas/config/env.ts';
import { GitHubPullRequests } from '../../lambdas/features/github/github-pull-requests.ts';
import { gitHubSettings } from '../../lambdas/features/github/github-settings.ts';
import { UNATTRIBUTED } from '../../lambdas/features/session-features.ts';
import type { PullRequestWork } from '../../lambdas/features/session-features.ts';
import { PullRequestFileError, mergeSync, pullRequestsPath, readPullRequestFile, writePullRequestFile } from '../../lambdas/local/pull-request-file.ts';
import { ReportQueryError, parseTimeBound } from '../../lambdas/report/report-types.ts';
import { dayOf } from '../../lambdas/rollup/day.ts';
import { PartnerApiError, PartnerConfigError } from '../../lambdas/rollup/partner-errors.ts';
import { GITHUB_SECRET_ENV } from '../../lambdas/rollup/partners.ts';
import { dataDirOption } from './options.ts';
import { endProgress, showProgress } from './progress.ts';
import { plural } from './report-format.ts';

const HELP = `usage: seatmeter features sync [--since DATE] [--repos OWNER/NAME,…] [--data-dir DIR]

Reads the pull requests of the configured GitHub repositories, each with its feature (its feature/<slug>
label, else the slug rules of the feature-label workflow), its author and committers and its working window,
into <data-dir>/pull-requests.json. \`seatmeter report --by feature\` and \`seatmeter rollup --local\` give
each session the feature of the pull request it worked toward from there. Syncing again adds to the file.
  --since     read PRs updated since this date (YYYY-MM-DD, an ISO timestamp or epoch ms); default 30 days ago
  --repos     owner/name, comma-separated (default SEATMETER_GITHUB_REPOS, or the secret's "repos")
  --data-dir  default ./.seatmeter (SEATMETER_DATA_DIR)
The token is GITHUB_TOKEN, or the "token" of the Secrets Manager secret ${GITHUB_SECRET_ENV} names; logins
whose commits carry no usable email map through SEATMETER_GITHUB_LOGIN_EMAILS (login=email,…). GitHub
Enterprise Server: GITHUB_API_URL=https://HOST/api/v3.`;

const DEFAULT_SINCE_MS = 30 * 86_400_000;

function describe(pullRequests: readonly PullRequestWork[]): string {
  const features = new Map<string, number>();
  for (const pr of pullRequests) features.set(pr.feature ?? UNATTRIBUTED, (features.get(pr.feature ?? UNATTRIBUTED) ?? 0) + 1);
  const named = [...features].filter(([feature]) => feature !== UNATTRIBUTED).sort(([a], [b]) => (a < b ? -1 : 1));
  const lines = named.map(([feature, count]) => `  ${feature}: ${plural(count, 'pull request')}`);
  const none = features.get(UNATTRIBUTED);
  return [...lines, ...(none === undefined ? [] : [`  (no feature: ${plural(none, 'pull request')})`])].join('\n');
}

export const featuresCommand = {
  async run(args: string[]): Promise<number> {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { since: { type: 'string' }, repos: { type: 'string' }, 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help === true || positionals.length === 0) {
      process.stdout.write(`${HELP}\n`);
      return values.help === true ? 0 : 2;
    }
    if (positionals.length !== 1 || positionals[0] !== 'sync') {
      process.stderr.write(`seatmeter features: unknown subcommand "${positionals.join(' ')}"; the one there is: sync\n`);
      return 2;
    }
    let started = false;
    try {
      const nowMs = Date.now();
      const sinceMs = values.since === undefined ? nowMs - DEFAULT_SINCE_MS : parseTimeBound(values.since, '--since');
      const secretId = envValue(process.env, GITHUB_SECRET_ENV);
      const settings = await gitHubSettings({ env: process.env, ...(values.repos === undefined ? {} : { repos: values.repos }), ...(secretId === null ? {} : { secretId }) });
      if (settings === null) throw new PartnerConfigError('no repositories: pass --repos owner/name,… or set SEATMETER_GITHUB_REPOS');
      const github = new GitHubPullRequests(settings);
      const progress = (done: number) => showProgress(done / github.repos.length, `${done}/${github.repos.length} repositories read`);
      started = true;
      progress(0);
      const pullRequests = await github.pullRequests(sinceMs, progress);
      endProgress();
      started = false;
      const path = pullRequestsPath(dataDirOption(values['data-dir']));
      const synced = mergeSync(await readPullRequestFile(path), { repos: github.repos, sinceMs, pullRequests, nowMs });
      await writePullRequestFile(path, synced);
      process.stdout.write(
        `${plural(pullRequests.length, 'pull request')} updated since ${dayOf(sinceMs)} in ${github.repos.length} repositor${github.repos.length === 1 ? 'y' : 'ies'}; ` +
          `${synced.pull_requests.length} in ${path}\n${describe(pullRequests)}\n`,
      );
      return 0;
    } catch (error) {
      if (started) endProgress();
      if (error instanceof PartnerApiError) {
        process.stderr.write(`seatmeter features sync: ${error.message}\n`);
        return 1;
      }
      if (!(error instanceof PartnerConfigError || error instanceof ReportQueryError || error instanceof PullRequestFileError)) throw error;
      process.stderr.write(`seatmeter features sync: ${error.message}\n`);
      return 2;
    }
  },
};
