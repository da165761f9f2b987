/** A running `seatmeter serve` could not answer: not reachable, wanting a token, or refusing the query. */
export class LocalServerError extends Error {
  override readonly name = 'LocalServerError';
}

/**
 * GETs one JSON answer of the local server's API. The commands that read the store ask the server when one
 * runs for the data directory: it holds the database, and DuckDB lets no other process open it meanwhile.
 */
export async function getFromServer(url: string, path: string, params: URLSearchParams, token: string | undefined): Promise<unknown> {
  const response = await fetch(`${url}${path}?${params}`, {
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  }).catch((error: unknown) => {
    throw new LocalServerError(`cannot reach seatmeter at ${url}: ${error instanceof Error ? error.message : String(error)}`);
  });
  if (response.status === 401) throw new LocalServerError(`${url} requires a token: pass --token or set SEATMETER_TOKEN`);
  if (!response.ok) throw new LocalServerError(`${url} answered ${response.status}: ${await response.text()}`);
  return response.json();
}
