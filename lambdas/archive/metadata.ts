import type { Signal } from '../otlp/types.ts';
import type { ArchiveEntry, ArchivedRequest } from './types.ts';

/**
 * What an archived body needs besides its bytes, as S3 user metadata (lower-case names, ASCII values). The
 * folder archive writes the same record as its sidecar, so both adapters read entries back the same way.
 */
export type ArchiveMetadata = Readonly<Record<string, string>>;

const SIGNALS: readonly Signal[] = ['metrics', 'logs', 'traces'];

/**
 * S3 carries user metadata as HTTP headers: only printable ASCII survives, and edge spaces are trimmed.
 * Percent-escaping those characters and `%` itself keeps ordinary values readable and every value reversible.
 */
export function asciiValue(text: string): string {
  return text.replace(/[^\x21-\x24\x26-\x7e]/gu, (character) => encodeURIComponent(character));
}

export function textValue(ascii: string): string {
  return decodeURIComponent(ascii);
}

export function archiveMetadata(entry: ArchiveEntry): ArchiveMetadata {
  return {
    'content-type': asciiValue(entry.contentType),
    ...(entry.contentEncoding === undefined ? {} : { 'content-encoding': asciiValue(entry.contentEncoding) }),
    signal: entry.signal,
    ...(entry.credentialId === null ? {} : { 'credential-id': asciiValue(entry.credentialId) }),
    'received-at': new Date(entry.receivedAtMs).toISOString(),
    'request-id': asciiValue(entry.requestId),
  };
}

function required(metadata: ArchiveMetadata, key: string, name: string): string {
  const value = metadata[name];
  if (value === undefined) throw new Error(`archived request ${key} lacks the ${name} metadata`);
  return value;
}

function optional(metadata: ArchiveMetadata, name: string): string | undefined {
  const value = metadata[name];
  return value === undefined ? undefined : textValue(value);
}

/** Everything about an archived request but its body; throws for metadata this module did not write. */
export function describedRequest(key: string, metadata: ArchiveMetadata): Omit<ArchivedRequest, 'body'> {
  const signal = SIGNALS.find((candidate) => candidate === metadata.signal);
  if (signal === undefined) throw new Error(`archived request ${key} has no valid signal metadata`);
  const receivedAtMs = Date.parse(required(metadata, key, 'received-at'));
  if (Number.isNaN(receivedAtMs)) throw new Error(`archived request ${key} has no valid received-at metadata`);
  return {
    key,
    contentType: textValue(required(metadata, key, 'content-type')),
    contentEncoding: optional(metadata, 'content-encoding'),
    signal,
    credentialId: optional(metadata, 'credential-id') ?? null,
    receivedAtMs,
    requestId: textValue(required(metadata, key, 'request-id')),
  };
}
