import { S3Client } from '@aws-sdk/client-s3';
import { parseArgs } from 'node:util';
import { PullRequestFile, PullRequestFileError, pullRequestsPath } from '../../lambdas/local/pull-request-file.ts';
import { LocalServerError } from '../../lambdas/local/server-client.ts';
import { ServerDayUsageSource } from '../../lambdas/local/server-day-usage.ts';
import { defaultPriceBook } from '../../lambdas/pricing/default-price-book.ts';
import { dayStartMs, daysFrom } from '../../lambdas/rollup/day.ts';
import { RollupDayError, RollupInputError } from '../../lambdas/rollup/errors.ts';
import { rollupOutputConfigFrom, rollupSourceConfigFrom } from '../../lambdas/rollup-lambda/lambda-config.ts';
import { FolderRollupOutput } from '../../lambdas/rollup/output/folder-output.ts';
import { S3RollupOutput } from '../../lambdas/rollup/output/s3-output.ts';
import type { RollupOutput } from '../../lambdas/rollup/output/types.ts';
import { PartnerConfigError } from '../../lambdas/rollup/partner-errors.ts';
import { rollupPartnersFrom } from '../../lambdas/rollup/partners.ts';
import type { RollupPartners } from '../../lambdas/rollup/partners.ts';
import { rollupDays } from '../../lambdas/rollup/rollup.ts';
import type { DaySummary } from '../../lambdas/rollup/rollup.ts';
import type { PullRequestSource } from '../../lambdas/rollup/sources.ts';
import type { DayUsageSource } from '../../lambdas/rollup/types.ts';
import type { LocalDatabase } from '../../lambdas/store/duckdb/database.ts';
import { DuckDbDayUsageSource } from '../../lambdas/store/duckdb/day-usage-reader.ts';
import { dayUsageSourceFor } from '../../lambdas/ingest-ports/store-settings.ts';
import { TimestreamTableNameError } from '../../lambdas/store/timestream/table-names.ts';
import { LocalStoreError, openStoreFile } from './local-store.ts';
import { dataDirOption, serverUrlOption, tokenOption } from './options.ts';
import { endProgress, showProgress } from './progress.ts';

const HELP = `usage: seatmeter rollup (--day YYYY-MM-DD | --from YYYY-MM-DD --to YYYY-MM-DD) [--local] [--out DIR | --bucket NAME] [--team-groups RULE]

Rolls each UTC day up into the team tables Athena reads: team_usage (per team, user, tool, model, repo and
feature, re-priced with today's prices), claude_code_analytics (the Claude Code Analytics API's own view) and
claude_code_coverage (the two reconciled per person), plus the user → team map. Re-running a day replaces it.
  --day          one day; or --from and --to, both included
  --local        read the local store (--data-dir, default ./.seatmeter) instead of the deployed one (SEATMETER_STORE)
                 (SEATMETER_TIMESTREAM_DATABASE, SEATMETER_TABLE_USAGE/_ACTIVITY): through the running
                 \`seatmeter serve\` for that directory when there is one (or --url, --token), else the file
  --out DIR      write into a folder laid out like the bucket
  --bucket NAME  write to the team bucket (default SEATMETER_TEAM_BUCKET), under SEATMETER_TEAM_PREFIX
  --team-groups  which directory groups are teams: prefix:<p> or a comma-separated list (SEATMETER_TEAM_GROUPS)
A session's feature comes from GitHub (SEATMETER_GITHUB_REPOS, GITHUB_TOKEN; see seatmeter features --help),
or with --local and no GitHub settings from what \`seatmeter features sync\` read; else all are unattributed.`;

function daysOption(values: { day?: string | undefined; from?: string | undefined; to?: string | undefined }): string[] {
  if (values.day !== undefined) {
    if (values.from !== undefined || values.to !== undefined) throw new RollupInputError('give --day, or --from and --to, not both');
    dayStartMs(values.day, '--day');
    return [values.day];
  }
  if (values.from === undefined || values.to === undefined) throw new RollupInputError('give --day, or both --from and --to');
  return daysFrom(values.from, values.to);
}

function outputOption(out: string | undefined, bucket: string | undefined): RollupOutput {
  if (out !== undefined && bucket !== undefined) throw new RollupInputError('give --out or --bucket, not both');
  if (out !== undefined) return new FolderRollupOutput(out);
  if (bucket === '') throw new RollupInputError('--bucket needs a bucket name');
  const { teamBucket, teamPrefix } = rollupOutputConfigFrom(process.env, bucket, ': give --out DIR, or the team bucket with --bucket or SEATMETER_TEAM_BUCKET');
  return new S3RollupOutput({ client: new S3Client({}), bucket: teamBucket, prefix: teamPrefix });
}

function timestreamStore(): DayUsageSource {
  return dayUsageSourceFor(rollupSourceConfigFrom(process.env, ' to read the deployed store (or pass --local)').store);
}

function describe(summary: DaySummary): string {
  // not_configured appears only where it happened: the run had no Anthropic admin key.
  const coverage = Object.entries(summary.coverage)
    .filter(([status, users]) => status !== 'not_configured' || users > 0)
    .map(([status, users]) => `${users} ${status}`)
    .join(', ');
  return (
    `${summary.day}: ${summary.rows} rows, ${summary.users} developer${summary.users === 1 ? '' : 's'} in ${summary.teams} teams` +
    `${summary.features > 0 ? `, ${summary.features} feature${summary.features === 1 ? '' : 's'}` : ''}, ${summary.tokens} tokens` +
    `${summary.unidentified_tokens > 0 ? ` (${summary.unidentified_tokens} without a user identity)` : ''}, ` +
    `$${summary.estimated_cost_usd.toFixed(4)} estimated${summary.unpriced_tokens > 0 ? ` (+${summary.unpriced_tokens} unpriced tokens)` : ''}; ` +
    `Claude Code coverage: ${coverage}`
  );
}

/** The command over given partner sources: the CLI passes the real ones, tests in-memory ones. */
export function rollupCommandWith(partners: (teamGroups: string | undefined) => RollupPartners) {
  return {
    async run(args: string[]): Promise<number> {
      const { values } = parseArgs({
        args,
        options: {
          day: { type: 'string' },
          from: { type: 'string' },
          to: { type: 'string' },
          local: { type: 'boolean' },
          'data-dir': { type: 'string' },
          url: { type: 'string' },
          token: { type: 'string' },
          out: { type: 'string' },
          bucket: { type: 'string' },
          'team-groups': { type: 'string' },
          help: { type: 'boolean', short: 'h' },
        },
      });
      if (values.help === true) {
        process.stdout.write(`${HELP}\n`);
        return 0;
      }
      let database: LocalDatabase | null = null;
      const written: DaySummary[] = [];
      let started = false;
      /** Ends the progress line, then says what was written, also when a later day failed. */
      const finish = (): void => {
        if (started) endProgress();
        for (const summary of written.splice(0)) process.stdout.write(`${describe(summary)}\n`);
      };
      try {
        const days = daysOption(values);
        const output = outputOption(values.out, values.bucket);
        const { analytics, teams, pullRequests: gitHub } = partners(values['team-groups']);
        let usage: DayUsageSource;
        let pullRequests: PullRequestSource = gitHub;
        if (values.local === true) {
          const dataDir = dataDirOption(values['data-dir']);
          // GitHub when it is configured here, else what `seatmeter features sync` last read into the data directory.
          const synced = new PullRequestFile(pullRequestsPath(dataDir));
          pullRequests = { pullRequests: async (sinceMs) => (await gitHub.pullRequests(sinceMs)) ?? (await synced.pullRequests()) };
          const url = serverUrlOption(values.url, dataDir);
          if (url !== undefined) usage = new ServerDayUsageSource(url, tokenOption(values.token));
          else {
            database = await openStoreFile(dataDir);
            usage = new DuckDbDayUsageSource(database);
          }
        } else usage = timestreamStore();
        const progress = (done: number) => showProgress(done / days.length, `${done}/${days.length} days written`);
        started = true;
        progress(0);
        await rollupDays(days, { usage, analytics, teams, pullRequests, output, pricer: defaultPriceBook() }, (summary, done) => {
          written.push(summary);
          progress(done);
        });
        finish();
        return 0;
      } catch (error) {
        finish();
        if (error instanceof RollupDayError) {
          process.stderr.write(`seatmeter rollup: ${error.message}\n`);
          // A partner set up wrongly is found on its first read; it is still the operator's setting, not a failed run.
          return causedBy(error, PartnerConfigError) ? 2 : 1;
        }
        if (!(error instanceof RollupInputError || error instanceof LocalStoreError || error instanceof PartnerConfigError || error instanceof TimestreamTableNameError || error instanceof LocalServerError || error instanceof PullRequestFileError)) throw error;
        process.stderr.write(`seatmeter rollup: ${error.message}\n`);
        return 2;
      } finally {
        await database?.close();
      }
    },
  };
}

export const rollupCommand = rollupCommandWith((teamGroups) => rollupPartnersFrom(process.env, teamGroups));

function causedBy(error: unknown, kind: typeof PartnerConfigError): boolean {
  for (let cause: unknown = error; cause instanceof Error; cause = cause.cause) if (cause instanceof kind) return true;
  return false;
}
