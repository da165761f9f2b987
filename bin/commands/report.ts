import { parseArgs } from 'node:util';
import { LocalServerError, getFromServer } from '../../lambdas/local/server-client.ts';
import { PullRequestFile, PullRequestFileError, pullRequestsPath, readPullRequestFile } from '../../lambdas/local/pull-request-file.ts';
import { LocalUsageReports } from '../../lambdas/local/usage-reports.ts';
import { DEFAULT_GROUP_BY, ReportQueryError, parseGroupBy, parseTimeRange } from '../../lambdas/report/report-types.ts';
import type { ReportQuery, ReportRow } from '../../lambdas/report/report-types.ts';
import { LocalStoreError, openStoreFile } from './local-store.ts';
import { LOCAL_STORE_OPTIONS, dataDirOption, serverUrlOption, tokenOption } from './options.ts';
import { toCsv, toJson, toTable } from './report-format.ts';

const HELP = `usage: seatmeter report [--from DATE] [--to DATE] [--by user,tool,model] [--format table|json|csv]

Token usage and estimated cost over a time range (default: the last 7 days), grouped by any of
user, tool, model, repo, team, day, session, feature (default user,tool,model). A session's feature is
that of the pull request it worked toward, from the pull requests \`seatmeter features sync\` last read. Asks the running \`seatmeter serve\`
(found through the data directory, or --url); with no server running it reads the data directory itself.
  --from, --to  YYYY-MM-DD (UTC), an ISO timestamp or epoch milliseconds; --to is exclusive
  --data-dir    default ./.seatmeter (SEATMETER_DATA_DIR)
  --url         ask this server instead (SEATMETER_URL)
  --token       the server's token, if it requires one (SEATMETER_TOKEN)`;

const FORMATS = ['table', 'json', 'csv'] as const;
type Format = (typeof FORMATS)[number];

async function fromServer(url: string, query: ReportQuery, token: string | undefined): Promise<ReportRow[]> {
  const params = new URLSearchParams({ from: String(query.fromMs), to: String(query.toMs), by: query.by.join(',') });
  return (await getFromServer(url, '/api/report', params, token)) as ReportRow[];
}

async function fromFile(dataDir: string, query: ReportQuery): Promise<ReportRow[]> {
  const database = await openStoreFile(dataDir);
  try {
    return await new LocalUsageReports(database, new PullRequestFile(pullRequestsPath(dataDir))).report(query);
  } finally {
    await database.close();
  }
}

export const reportCommand = {
  async run(args: string[]): Promise<number> {
    const { values } = parseArgs({
      args,
      options: {
        ...LOCAL_STORE_OPTIONS,
        by: { type: 'string' },
        format: { type: 'string' },
      },
    });
    if (values.help === true) {
      process.stdout.write(`${HELP}\n`);
      return 0;
    }
    const format = (values.format ?? 'table') as Format;
    try {
      if (!FORMATS.includes(format)) throw new ReportQueryError(`--format must be one of ${FORMATS.join(', ')}`);
      const { fromMs, toMs } = parseTimeRange(values.from, values.to, '--', Date.now());
      const by = values.by === undefined ? DEFAULT_GROUP_BY : parseGroupBy(values.by);
      const query = { fromMs, toMs, by };
      const dataDir = dataDirOption(values['data-dir']);
      const url = serverUrlOption(values.url, dataDir);
      // Only this data directory's server reads this directory's file; another server (--url) has its own.
      const ownServer = values.url === undefined && process.env.SEATMETER_URL === undefined;
      if (by.includes('feature') && ownServer && (await readPullRequestFile(pullRequestsPath(dataDir))) === null) {
        process.stderr.write('seatmeter report: no pull requests synced yet (seatmeter features sync), so every session is unattributed\n');
      }
      const rows = url === undefined ? await fromFile(dataDir, query) : await fromServer(url, query, tokenOption(values.token));
      process.stdout.write(format === 'json' ? toJson(rows) : format === 'csv' ? toCsv(rows, by) : toTable(rows, by));
      return 0;
    } catch (error) {
      if (!(error instanceof ReportQueryError || error instanceof LocalStoreError || error instanceof LocalServerError || error instanceof PullRequestFileError)) throw error;
      process.stderr.write(`seatmeter report: ${error.message}\n`);
      return 2;
    }
  },
};
