import type { ArchiveEntry } from '../../lambdas/archive/types.ts';
import type { Signal } from '../../lambdas/otlp/types.ts';
import { loadCapture } from '../support/captures.ts';

interface CaptureRef {
  readonly id: string;
  readonly signal: Signal;
}

/** A real export as the receiver accepts it, with the request details the archive keeps. */
export function captureEntry(ref: CaptureRef, receivedAt: string, requestId: string, credentialId: string | null = 'cred-7'): ArchiveEntry {
  const capture = loadCapture(ref.id);
  return {
    body: capture.body,
    contentType: capture.contentType,
    contentEncoding: capture.contentEncoding,
    signal: ref.signal,
    credentialId,
    receivedAtMs: Date.parse(receivedAt),
    requestId,
  };
}

export const PROTOBUF_METRICS: CaptureRef = { id: 'claude/claude-protobuf-delta/002-v1_metrics', signal: 'metrics' };
export const GZIP_PROTOBUF_METRICS: CaptureRef = { id: 'claude/claude-protobuf-delta-gzip/002-v1_metrics', signal: 'metrics' };
export const JSON_LOGS: CaptureRef = { id: 'gemini/gemini-http-json/002-v1_logs', signal: 'logs' };

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const collected: T[] = [];
  for await (const item of items) collected.push(item);
  return collected;
}
