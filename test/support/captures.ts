/** The real client captures under test/fixtures: bodies (stored gzipped when large) and their request metadata. */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { DecodedRequest, Signal } from '../../lambdas/otlp/types.ts';

const FIXTURES_DIR = fileURLToPath(new URL('../fixtures/', import.meta.url));
const REFERENCE_DIR = fileURLToPath(new URL('../otlp/reference/', import.meta.url));

export interface Capture {
  readonly body: Uint8Array;
  readonly contentType: string;
  readonly contentEncoding: string | undefined;
  readonly path: string;
}

interface CaptureMetadata {
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** `id` is `<client>/<scenario>/<NNN-name>`; the body is returned exactly as the client sent it. */
export function loadCapture(id: string): Capture {
  const metadata = JSON.parse(readFileSync(`${FIXTURES_DIR}${id}.json`, 'utf8')) as CaptureMetadata;
  const plain = `${FIXTURES_DIR}${id}.bin`;
  const body = existsSync(plain) ? readFileSync(plain) : gunzipSync(readFileSync(`${plain}.gz`));
  return {
    body: new Uint8Array(body),
    contentType: metadata.headers['content-type'] ?? '',
    contentEncoding: metadata.headers['content-encoding'],
    path: metadata.path,
  };
}

/** A `.decoded.json(.gz)` copied from the capture set: the protobuf body rewritten in the OTLP JSON mapping. */
export function loadReferenceJson(name: string): Uint8Array {
  const file = readFileSync(`${REFERENCE_DIR}${name}`);
  return new Uint8Array(name.endsWith('.gz') ? gunzipSync(file) : file);
}

/** Metrics, log records or spans in a request. */
export function itemCount(request: DecodedRequest): number {
  return request.signal === 'traces'
    ? request.spanCount
    : request.resources.reduce((total, resource) => total + resource.scopes.reduce((sum, scope) => sum + scope.items.length, 0), 0);
}

/** Every captured request, with the signal its body holds (not always its path's) and its item count. */
export const CAPTURES: readonly (readonly [id: string, signal: Signal, items: number])[] = [
  ['claude/claude-json-delta/001-v1_logs', 'logs', 3],
  ['claude/claude-json-delta/002-v1_metrics', 'metrics', 4],
  ['claude/claude-protobuf-cumulative/001-v1_logs', 'logs', 3],
  ['claude/claude-protobuf-cumulative/002-v1_metrics', 'metrics', 4],
  ['claude/claude-protobuf-delta-gzip/001-v1_logs', 'logs', 3],
  ['claude/claude-protobuf-delta-gzip/002-v1_metrics', 'metrics', 4],
  ['claude/claude-protobuf-delta-tooluse/001-v1_logs', 'logs', 6],
  ['claude/claude-protobuf-delta-tooluse/002-v1_metrics', 'metrics', 4],
  ['claude/claude-protobuf-delta/001-v1_logs', 'logs', 3],
  ['claude/claude-protobuf-delta/002-v1_metrics', 'metrics', 4],
  ['claude/claude-protobuf-haiku/001-v1_logs', 'logs', 3],
  ['claude/claude-protobuf-haiku/002-v1_metrics', 'metrics', 4],
  ['codex/codex-base-url/001-root', 'traces', 474],
  ['codex/codex-base-url/002-root', 'metrics', 52],
  ['codex/codex-base-url/003-root', 'logs', 19],
  ['codex/codex-binary-cumulative-env/001-v1_traces', 'traces', 474],
  ['codex/codex-binary-cumulative-env/002-v1_metrics', 'metrics', 52],
  ['codex/codex-binary-cumulative-env/003-v1_metrics', 'metrics', 52],
  ['codex/codex-binary-cumulative-env/004-v1_logs', 'logs', 19],
  ['codex/codex-binary/001-v1_traces', 'traces', 474],
  ['codex/codex-binary/002-v1_metrics', 'metrics', 52],
  ['codex/codex-binary/003-v1_logs', 'logs', 19],
  ['codex/codex-json/001-v1_traces', 'traces', 474],
  ['codex/codex-json/002-v1_metrics', 'metrics', 52],
  ['codex/codex-json/003-v1_logs', 'logs', 19],
  ['codex/codex-same-url-for-all/001-v1_logs', 'traces', 474],
  ['codex/codex-same-url-for-all/002-v1_logs', 'metrics', 52],
  ['codex/codex-same-url-for-all/003-v1_logs', 'logs', 19],
  ['codex/codex-single-logs-url/001-v1_logs', 'logs', 18],
  ['gemini/gemini-http-json-delta-env/001-v1_traces', 'traces', 2],
  ['gemini/gemini-http-json-delta-env/002-v1_logs', 'logs', 14],
  ['gemini/gemini-http-json-delta-env/003-v1_metrics', 'metrics', 8],
  ['gemini/gemini-http-json-model-pro/001-v1_traces', 'traces', 1],
  ['gemini/gemini-http-json-model-pro/002-v1_logs', 'logs', 10],
  ['gemini/gemini-http-json-model-pro/003-v1_metrics', 'metrics', 8],
  ['gemini/gemini-http-json/001-v1_traces', 'traces', 2],
  ['gemini/gemini-http-json/002-v1_logs', 'logs', 14],
  ['gemini/gemini-http-json/003-v1_metrics', 'metrics', 8],
];
