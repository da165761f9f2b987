import { PullRequestFileError } from './pull-request-file.ts';
import { DEFAULT_GROUP_BY, ReportQueryError, parseGroupBy, parseTimeRange } from '../report/report-types.ts';
import { dayStartMs } from '../rollup/day.ts';
import { RollupInputError } from '../rollup/errors.ts';
import type { DayUsageSource } from '../rollup/types.ts';
import type { LocalUsageReports } from './usage-reports.ts';

/** What the API reads: the reports for `seatmeter report` and the page, the day usage for `seatmeter rollup`. */
export interface ApiSources {
  readonly reports: LocalUsageReports;
  readonly dayUsage: DayUsageSource;
}

export interface ApiAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
}

function json(status: number, value: unknown): ApiAnswer {
  return { status, headers: { 'content-type': 'application/json' }, body: new TextEncoder().encode(JSON.stringify(value)) };
}

function range(params: URLSearchParams): { fromMs: number; toMs: number } {
  return parseTimeRange(params.get('from'), params.get('to'), '', Date.now());
}

/** The JSON API behind `seatmeter report`, `seatmeter rollup --local` and the dashboard page. */
export async function routeApi(url: URL, { reports, dayUsage }: ApiSources): Promise<ApiAnswer> {
  const params = url.searchParams;
  try {
    switch (url.pathname) {
      case '/healthz':
        return json(200, { status: 'ok' });
      case '/api/report': {
        const by = params.get('by');
        return json(200, await reports.report({ ...range(params), by: by === null ? DEFAULT_GROUP_BY : parseGroupBy(by) }));
      }
      case '/api/dashboard':
        return json(200, await reports.dashboard({ ...range(params), users: params.getAll('user'), tools: params.getAll('tool'), teams: params.getAll('team') }));
      case '/api/filters':
        return json(200, await reports.filters(range(params)));
      case '/api/day-usage': {
        const day = params.get('day') ?? '';
        dayStartMs(day, 'day');
        return json(200, await dayUsage.readDay(day));
      }
      default:
        return json(404, { error: `no API at ${url.pathname}` });
    }
  } catch (error) {
    if (error instanceof ReportQueryError || error instanceof RollupInputError) return json(400, { error: error.message });
    // The synced pull requests are the server's own data: broken, they fail the report by feature, saying how to mend it.
    if (error instanceof PullRequestFileError) return json(500, { error: error.message });
    throw error;
  }
}
