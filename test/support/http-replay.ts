import { CAPTURES, loadCapture } from './captures.ts';
import type { Capture } from './captures.ts';

/** POSTs a captured request as its client sent it: same path, content type, encoding and body. */
export function postCapture(baseUrl: string, capture: Capture, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${baseUrl}${capture.path}`, {
    method: 'POST',
    headers: {
      'content-type': capture.contentType,
      ...(capture.contentEncoding === undefined ? {} : { 'content-encoding': capture.contentEncoding }),
      ...headers,
    },
    body: capture.body,
  });
}

/** Replays every captured request once, in capture order; returns the HTTP statuses seen. */
export async function replayAllCaptures(baseUrl: string, headers: Record<string, string> = {}): Promise<number[]> {
  const statuses: number[] = [];
  for (const [id] of CAPTURES) statuses.push((await postCapture(baseUrl, loadCapture(id), headers)).status);
  return statuses;
}
