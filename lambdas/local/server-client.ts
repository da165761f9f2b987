/** A running `seatmeter serve` could not answer: not reachable, wanting a token, or refusing the query. */
export class LocalServerError extends Error {
  override readonly name = 'LocalServerError';
}

export interface ServerAnswer {
  readonly status: number;
  readonly value: unknown;
  /** The answer's Retry-After in milliseconds (its seconds form), when it has one. */
  readonly retryAfterMs?: number;
}

/**
 * One JSON exchange with the local server's API. The commands that use the store ask the server when one
 * runs for the data directory: it holds the database, and DuckDB lets no other process open it meanwhile.
 * Only an unreachable server or a missing token throws; the caller reads any other status and its body.
 */
export async function callServer(url: string, method: string, pathAndQuery: string, body: unknown, token: string | undefined): Promise<ServerAnswer> {
  const headers: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${url}${pathAndQuery}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }).catch((error: unknown) => {
    throw new LocalServerError(`cannot reach seatmeter at ${url}: ${error instanceof Error ? error.message : String(error)}`);
  });
  if (response.status === 401) throw new LocalServerError(`${url} requires a token: pass --token or set SEATMETER_TOKEN`);
  const text = await response.text();
  const retryAfter = Number(response.headers.get('retry-after') ?? Number.NaN);
  try {
    const value: unknown = JSON.parse(text);
    return Number.isFinite(retryAfter) && retryAfter >= 0 ? { status: response.status, value, retryAfterMs: retryAfter * 1000 } : { status: response.status, value };
  } catch {
    throw new LocalServerError(`${url} answered ${response.status}: ${text}`);
  }
}

/** GETs one JSON answer of the local server's API, failing on anything but success. */
export async function getFromServer(url: string, path: string, params: URLSearchParams, token: string | undefined): Promise<unknown> {
  const answer = await callServer(url, 'GET', `${path}?${params}`, undefined, token);
  if (answer.status < 200 || answer.status > 299) throw new LocalServerError(`${url} answered ${answer.status}: ${JSON.stringify(answer.value)}`);
  return answer.value;
}
