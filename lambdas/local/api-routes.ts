import { DEFAULT_GROUP_BY, ReportQueryError, parseGroupBy, parseTimeRange } from '../report/report-types.ts';
import type { LocalUsageReports } from './usage-reports.ts';

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

/** The JSON API behind `seatmeter report` and the dashboard page. */
export async function routeApi(url: URL, reports: LocalUsageReports): Promise<ApiAnswer> {
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
        return json(200, await reports.dashboard({ ...range(params), users: params.getAll('user'), tools: params.getAll('tool') }));
      case '/api/filters':
        return json(200, await reports.filters(range(params)));
      default:
        return json(404, { error: `no API at ${url.pathname}` });
    }
  } catch (error) {
    if (error instanceof ReportQueryError) return json(400, { error: error.message });
    throw error;
  }
}
