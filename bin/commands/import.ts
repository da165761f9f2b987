import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { parseArgs } from 'node:util';
import { IMPORT_ROUTE, MAX_IMPORT_CALLS } from '../../lambdas/import/import-body.ts';
import { importCalls } from '../../lambdas/import/import-calls.ts';
import type { ImportOutcome } from '../../lambdas/import/import-calls.ts';
import { PARSERS, sessionFiles, signedInEmails } from '../../lambdas/import/local/session-files.ts';
import { SETTLE_MS, settledCalls } from '../../lambdas/import/settled.ts';
import { IMPORT_TOOLS, SessionFileError } from '../../lambdas/import/types.ts';
import type { FileCall, ImportTool, SessionCall, SessionPlace } from '../../lambdas/import/types.ts';
import { localIngestPorts } from '../../lambdas/ingest-ports/local.ts';
import { LocalServerError, callServer } from '../../lambdas/local/server-client.ts';
import { increment } from '../../lambdas/normalize/counts.ts';
import { repoFromRemoteUrl } from '../../lambdas/onboarding/git-remote.ts';
import { OnboardingInputError } from '../../lambdas/onboarding/errors.ts';
import { userEmail } from '../../lambdas/onboarding/inputs.ts';
import { billableTokens } from '../../lambdas/records/types.ts';
import { ReportQueryError, parseTimeBound } from '../../lambdas/report/report-types.ts';
import { dayOf } from '../../lambdas/rollup/day.ts';
import { LocalDatabase } from '../../lambdas/store/duckdb/database.ts';
import { duckDbCoverage } from '../../lambdas/store/duckdb/coverage-reader.ts';
import { detectRepo } from './git-repo.ts';
import { dataDirOption, serverUrlOption, tokenOption } from './options.ts';
import { endProgress, showProgress } from './progress.ts';
import { plural } from './report-format.ts';

const HELP = `usage: seatmeter import [--since DATE] [--home DIR] [--tools claude_code,codex,gemini_cli] [--user EMAIL]
                        [--endpoint URL --token TOKEN | --data-dir DIR [--url URL]]

Counts the usage in the agent CLIs' own session files, for the time before telemetry was set up or while it
was off: Claude Code (~/.claude/projects), Codex CLI (~/.codex/sessions) and Gemini CLI (~/.gemini/tmp/*/chats).
A session telemetry already delivered is left to telemetry, and importing again adds nothing: the output
lists each day, tool and user as source=import (counted from the files) or source=telemetry (left alone).
Prompt and response text in those files is never read into seatmeter.
  --since     only calls from this date on (YYYY-MM-DD, an ISO timestamp or epoch ms); default all
  --home      the home directory holding .claude, .codex and .gemini (default yours)
  --tools     which clients to read (default all three)
  --user      the email to count the usage under; default the account each client is signed in as
              (Claude Code's ~/.claude.json, Gemini CLI's google_accounts.json; Codex records none)
  --endpoint  a deployed receiver's URL (the IngestUrl output), with --token (SEATMETER_TOKEN)
  --data-dir  else the local store (default ./.seatmeter), through its running \`seatmeter serve\` if any`;

/** How often a batch the store could not take yet is sent, waiting its Retry-After (at most 30 s) between. */
const ATTEMPTS = 4;
const MAX_WAIT_MS = 30_000;
const DEFAULT_WAIT_MS = 5_000;

class ImportInputError extends Error {}

/** Where the calls go: a receiver (local or deployed) over HTTP, or the local store file itself. */
interface ImportTarget {
  send(calls: readonly SessionCall[]): Promise<ImportOutcome>;
  close(): Promise<void>;
}

function httpTarget(url: string, token: string | undefined): ImportTarget {
  return {
    async send(calls) {
      for (let attempt = 1; ; attempt += 1) {
        const answer = await callServer(url, 'POST', IMPORT_ROUTE, { calls }, token);
        if (answer.status === 200) return answer.value as ImportOutcome;
        const error = (answer.value as { error?: unknown } | null)?.error;
        if (answer.status !== 503 || attempt === ATTEMPTS) throw new LocalServerError(`${url}${IMPORT_ROUTE} answered ${answer.status}: ${typeof error === 'string' ? error : JSON.stringify(answer.value)}`);
        await new Promise((resolve) => setTimeout(resolve, Math.min(MAX_WAIT_MS, answer.retryAfterMs ?? DEFAULT_WAIT_MS)));
      }
    },
    close: async () => undefined,
  };
}

async function fileTarget(dataDir: string): Promise<ImportTarget> {
  const database = await LocalDatabase.open(dataDir);
  const ports = await localIngestPorts(database, dataDir);
  const coverage = duckDbCoverage(database);
  return { send: (calls) => importCalls(calls, { ...ports, coverage }), close: () => database.close() };
}

async function openTarget(values: { endpoint?: string | undefined; token?: string | undefined; url?: string | undefined; 'data-dir'?: string | undefined }): Promise<ImportTarget> {
  if (values.endpoint !== undefined) return httpTarget(values.endpoint.replace(/\/+$/, ''), tokenOption(values.token));
  const dataDir = dataDirOption(values['data-dir']);
  const url = serverUrlOption(values.url, dataDir);
  return url === undefined ? fileTarget(dataDir) : httpTarget(url, tokenOption(values.token));
}

/** Repositories by place, each directory asked of git once. */
function repoResolver(): (place: SessionPlace) => Promise<string | null> {
  const byCwd = new Map<string, Promise<string | null>>();
  return async (place) => {
    const remote = place.remote === null ? undefined : repoFromRemoteUrl(place.remote);
    if (remote !== undefined) return remote;
    if (place.cwd === null) return null;
    let repo = byCwd.get(place.cwd);
    if (repo === undefined) byCwd.set(place.cwd, (repo = detectRepo(place.cwd).then((found) => found ?? null)));
    return repo;
  };
}

function toolsOption(text: string | undefined): ImportTool[] {
  if (text === undefined) return [...IMPORT_TOOLS];
  const tools = text.split(',').map((tool) => tool.trim()).filter((tool) => tool !== '');
  const unknown = tools.find((tool) => !IMPORT_TOOLS.includes(tool as ImportTool));
  if (unknown !== undefined || tools.length === 0) throw new ImportInputError(`--tools takes any of ${IMPORT_TOOLS.join(', ')}${unknown === undefined ? '' : `, not "${unknown}"`}`);
  return tools as ImportTool[];
}

interface Slice {
  readonly day: string;
  readonly tool: string;
  readonly user: string;
  readonly source: 'import' | 'telemetry';
  calls: number;
  tokens: number;
}

function slices(calls: readonly SessionCall[], coveredSessions: ReadonlySet<string>): Slice[] {
  const found = new Map<string, Slice>();
  for (const call of calls) {
    const source = coveredSessions.has(`${call.tool}/${call.session_id}`) ? 'telemetry' : 'import';
    const day = dayOf(call.time_ms);
    const user = call.user_email ?? '(no user)';
    const key = [day, call.tool, user, source].join('\u0001');
    let slice = found.get(key);
    if (slice === undefined) found.set(key, (slice = { day, tool: call.tool, user, source, calls: 0, tokens: 0 }));
    slice.calls += 1;
    slice.tokens += billableTokens(call);
  }
  // The key's parts in order, separated by a character below any they hold: its order is day, tool, user, source.
  return [...found].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, slice]) => slice);
}

export const importCommand = {
  async run(args: string[]): Promise<number> {
    const { values } = parseArgs({
      args,
      options: {
        since: { type: 'string' },
        home: { type: 'string' },
        tools: { type: 'string' },
        user: { type: 'string' },
        endpoint: { type: 'string' },
        token: { type: 'string' },
        'data-dir': { type: 'string' },
        url: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help === true) {
      process.stdout.write(`${HELP}\n`);
      return 0;
    }
    let target: ImportTarget | null = null;
    let started = false;
    try {
      const sinceMs = values.since === undefined ? Number.NEGATIVE_INFINITY : parseTimeBound(values.since, '--since');
      const tools = toolsOption(values.tools);
      const user = userEmail(values.user)?.trim().toLowerCase() ?? null;
      const home = values.home ?? homedir();
      if (values.endpoint !== undefined && (values.url !== undefined || values['data-dir'] !== undefined)) throw new ImportInputError('give --endpoint, or --data-dir / --url, not both');

      const files = await sessionFiles(home, tools);
      const signedIn = await signedInEmails(home);
      const repoOf = repoResolver();
      const skipped = new Map<string, number>();
      const found: SessionCall[] = [];
      started = files.length > 0;
      for (const [index, file] of files.entries()) {
        showProgress(index / files.length, `${index.toLocaleString('en-US')} of ${plural(files.length, 'session file')} read`);
        let parsed;
        try {
          parsed = PARSERS[file.tool](await readFile(file.path, 'utf8'));
        } catch (error) {
          if (!(error instanceof SessionFileError)) throw error;
          increment(skipped, `${file.tool}: file not readable as a session (${error.message})`, 1);
          continue;
        }
        for (const [reason, count] of parsed.skipped) increment(skipped, `${file.tool}: ${reason}`, count);
        for (const call of parsed.calls.filter((fileCall: FileCall) => fileCall.time_ms >= sinceMs)) {
          const { place, ...rest } = call;
          found.push({ ...rest, user_email: user ?? signedIn[call.tool], repo: await repoOf(place) });
        }
      }
      const { settled, recent } = settledCalls(found, Date.now());
      for (const call of recent) increment(skipped, `${call.tool}: session with a call in the last ${SETTLE_MS / 60_000} minutes (its telemetry may still be on its way; import again later)`, 1);
      const calls = settled.sort((a, b) => a.time_ms - b.time_ms || (a.call_id < b.call_id ? -1 : 1));

      // Nothing to send: no store is opened, and none is created in a data directory that has none.
      target = calls.length === 0 ? null : await openTarget(values);
      const totals = { stored: 0, duplicates: 0, covered: 0 };
      const coveredSessions = new Set<string>();
      const batches = Math.ceil(calls.length / MAX_IMPORT_CALLS);
      for (let batch = 0; batch < batches && target !== null; batch += 1) {
        showProgress(batch / batches, `${plural(batch * MAX_IMPORT_CALLS, 'call')} of ${calls.length.toLocaleString('en-US')} sent`);
        const outcome = await target.send(calls.slice(batch * MAX_IMPORT_CALLS, (batch + 1) * MAX_IMPORT_CALLS));
        totals.stored += outcome.stored;
        totals.duplicates += outcome.duplicates;
        totals.covered += outcome.covered;
        for (const session of outcome.covered_sessions) coveredSessions.add(session);
        for (const [reason, count] of Object.entries(outcome.rejected)) increment(skipped, `refused by the store: ${reason}`, count);
      }
      if (started) endProgress();
      started = false;

      const lines = slices(calls, coveredSessions).map((slice) => `${slice.day}  ${slice.tool.padEnd(11)}  ${slice.user}  ${plural(slice.calls, 'call')}, ${plural(slice.tokens, 'token')}  source=${slice.source}`);
      const skippedText = [...skipped].map(([reason, count]) => `  skipped ${count}: ${reason}`);
      process.stdout.write(
        [
          ...lines,
          `${plural(files.length, 'session file')}, ${plural(calls.length, 'call')}: ${totals.stored.toLocaleString('en-US')} stored, ` +
            `${totals.duplicates.toLocaleString('en-US')} already imported, ${totals.covered.toLocaleString('en-US')} left to telemetry (${plural(coveredSessions.size, 'session')} it delivered)`,
          ...skippedText,
          '',
        ].join('\n'),
      );
      return 0;
    } catch (error) {
      if (started) endProgress();
      if (error instanceof LocalServerError) {
        process.stderr.write(`seatmeter import: ${error.message}\n`);
        return 1;
      }
      if (!(error instanceof ImportInputError || error instanceof ReportQueryError || error instanceof OnboardingInputError)) throw error;
      process.stderr.write(`seatmeter import: ${error.message}\n`);
      return 2;
    } finally {
      await target?.close();
    }
  },
};
