import { S3Client } from '@aws-sdk/client-s3';
import { parseArgs } from 'node:util';
import { FolderRawArchive } from '../../lambdas/archive/folder-archive.ts';
import { S3RawArchive } from '../../lambdas/archive/s3-archive.ts';
import type { ArchivedRequest, RawArchive } from '../../lambdas/archive/types.ts';
import { ingestOtlp } from '../../lambdas/ingest/ingest.ts';
import type { IngestPorts } from '../../lambdas/ingest/ingest.ts';
import { IngestSettingsError, awsIngestPorts, awsIngestSettingsFrom } from '../../lambdas/ingest-ports/aws.ts';
import { localIngestPorts } from '../../lambdas/ingest-ports/local.ts';
import { DUPLICATES_HEADER, REJECTED_HEADER, STORED_HEADER } from '../../lambdas/http-answers/export-handler.ts';
import { OtlpDecodeError } from '../../lambdas/otlp/errors.ts';
import { ReportQueryError, parseTimeRange } from '../../lambdas/report/report-types.ts';
import { LocalDatabase } from '../../lambdas/store/duckdb/database.ts';
import { TimestreamTableNameError } from '../../lambdas/store/timestream/table-names.ts';
import { LOCAL_STORE_OPTIONS, dataDirOption, serverUrlOption, tokenOption } from './options.ts';
import { endProgress, showProgress } from './progress.ts';

const HELP = `usage: seatmeter replay --from DATE --to DATE (--bucket NAME | --archive-dir DIR) [--target local|timestream|lake]

Runs archived OTLP exports received in [--from, --to) through decode → normalize → price → store again, in
the order they were received. Records have content-derived ids, so replaying what is already stored adds
nothing; use it to rebuild a store, or to fill one from the archive.
  --bucket       the archive bucket (objects under raw/dt=YYYY-MM-DD/hour=HH/), read with the AWS SDK's credentials
  --archive-dir  a folder with the same layout (e.g. from \`aws s3 sync s3://<bucket>/raw <dir>/raw\`)
  --target       local (default): the running \`seatmeter serve\` (found through --data-dir, or --url),
                 else the data directory's database directly; timestream: the tables named by
                 SEATMETER_TIMESTREAM_DATABASE (+ SEATMETER_TABLE_*), SEATMETER_STATE_TABLE, and for the
                 budgets' spend ledger and team map SEATMETER_BUDGETS_TABLE and SEATMETER_TEAM_MAP_BUCKET
                 (the stack's outputs name each); lake: a stack deployed with seatmeter:store=lake, its
                 SEATMETER_LAKE_STREAM, SEATMETER_LAKE_WORKGROUP and SEATMETER_LAKE_DATABASE in place of the
                 Timestream ones. Replaying into a new store rebuilds its history: the lake counts each record
                 id once however often it is replayed
  --data-dir, --url, --token   as for \`seatmeter report\``;

interface Tally {
  requests: number;
  stored: number;
  duplicates: number;
  rejected: number;
  failed: number;
}

type Replayer = (request: ArchivedRequest) => Promise<{ stored: number; duplicates: number; rejected: number }>;

class ReplayError extends Error {}

/** A count the server's answer carries; a server without the header (an older one) cannot have said. */
function countHeader(response: Response, name: string): number {
  const value = response.headers.get(name);
  const count = Number(value);
  if (value === null || !Number.isSafeInteger(count) || count < 0) throw new ReplayError(`the server's answer has no ${name} count; upgrade it to replay through it`);
  return count;
}

function throughServer(url: string, token: string | undefined): Replayer {
  return async (request) => {
    const headers: Record<string, string> = { 'content-type': request.contentType };
    if (request.contentEncoding !== undefined) headers['content-encoding'] = request.contentEncoding;
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    const response = await fetch(`${url}/`, { method: 'POST', headers, body: request.body });
    if (!response.ok) throw new ReplayError(`${request.key}: ${url} answered ${response.status}`);
    await response.arrayBuffer();
    return { stored: countHeader(response, STORED_HEADER), duplicates: countHeader(response, DUPLICATES_HEADER), rejected: countHeader(response, REJECTED_HEADER) };
  };
}

function throughPorts(ports: IngestPorts): Replayer {
  return async (request) => {
    const report = await ingestOtlp({ body: request.body, contentType: request.contentType, contentEncoding: request.contentEncoding }, ports);
    return { stored: report.written, duplicates: report.duplicates, rejected: report.rejected };
  };
}

/** A replay's lease on a cumulative scope outlives one export's writes by far, and a crashed replay frees it soon. */
const REPLAY_LEASE_MS = 60_000;

function deployedPorts(store: 'timestream' | 'lake'): IngestPorts {
  return awsIngestPorts(awsIngestSettingsFrom({ ...process.env, SEATMETER_STORE: store }), { leaseUntil: () => Date.now() + REPLAY_LEASE_MS });
}

/** How far through the time range, and what happened so far. */
function progress(tally: Tally, fromMs: number, toMs: number, atMs: number): void {
  showProgress(
    (atMs - fromMs) / (toMs - fromMs),
    `${tally.requests} requests, ${tally.stored} stored, ${tally.duplicates} already there, ${tally.rejected} rejected, ${tally.failed} failed`,
  );
}

export async function replayArchive(archive: RawArchive, replay: Replayer, fromMs: number, toMs: number): Promise<Tally> {
  const tally: Tally = { requests: 0, stored: 0, duplicates: 0, rejected: 0, failed: 0 };
  for await (const request of archive.list(fromMs, toMs)) {
    tally.requests += 1;
    try {
      const outcome = await replay(request);
      tally.stored += outcome.stored;
      tally.duplicates += outcome.duplicates;
      tally.rejected += outcome.rejected;
    } catch (error) {
      // A body today's decoder refuses is reported and skipped; a store failure stops the replay.
      if (!(error instanceof OtlpDecodeError)) throw error;
      tally.failed += 1;
      process.stderr.write(`\n${request.key}: ${error.message}\n`);
    }
    progress(tally, fromMs, toMs, request.receivedAtMs);
  }
  return tally;
}

export const replayCommand = {
  async run(args: string[]): Promise<number> {
    const { values } = parseArgs({
      args,
      options: {
        ...LOCAL_STORE_OPTIONS,
        bucket: { type: 'string' },
        'archive-dir': { type: 'string' },
        target: { type: 'string' },
      },
    });
    if (values.help === true) {
      process.stdout.write(`${HELP}\n`);
      return 0;
    }
    let database: LocalDatabase | null = null;
    try {
      if (values.from === undefined || values.to === undefined) throw new ReplayError('--from and --to are required');
      const { fromMs, toMs } = parseTimeRange(values.from, values.to, '--', Date.now());
      if ((values.bucket === undefined) === (values['archive-dir'] === undefined)) throw new ReplayError('give exactly one of --bucket and --archive-dir');
      const archive: RawArchive =
        values.bucket === undefined
          ? new FolderRawArchive({ dir: values['archive-dir'] as string })
          : new S3RawArchive({ client: new S3Client({}), bucket: values.bucket });
      const target = values.target ?? 'local';
      let replay: Replayer;
      if (target === 'timestream' || target === 'lake') replay = throughPorts(deployedPorts(target));
      else if (target === 'local') {
        const dataDir = dataDirOption(values['data-dir']);
        const url = serverUrlOption(values.url, dataDir);
        if (url !== undefined) replay = throughServer(url, tokenOption(values.token));
        else {
          database = await LocalDatabase.open(dataDir);
          replay = throughPorts(await localIngestPorts(database, dataDir));
        }
      } else throw new ReplayError(`--target must be local, timestream or lake, not "${target}"`);
      const tally = await replayArchive(archive, replay, fromMs, toMs);
      endProgress();
      process.stdout.write(
        `replayed ${tally.requests} requests: ${tally.stored} records stored, ${tally.duplicates} already stored, ` +
          `${tally.rejected} points rejected, ${tally.failed} requests undecodable\n`,
      );
      return tally.failed === 0 ? 0 : 1;
    } catch (error) {
      if (!(error instanceof ReplayError || error instanceof ReportQueryError || error instanceof TimestreamTableNameError || error instanceof IngestSettingsError)) throw error;
      process.stderr.write(`seatmeter replay: ${error.message}\n`);
      return 2;
    } finally {
      await database?.close();
    }
  },
};
