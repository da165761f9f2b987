import { archiveKey } from './key-layout.ts';
import { archiveMetadata, describedRequest } from './metadata.ts';
import type { ArchiveMetadata } from './metadata.ts';
import { receivedBody, storedBody } from './stored-body.ts';
import type { ArchiveEntry, ArchivedRequest } from './types.ts';

/** An archive entry as either adapter stores it: gzip bytes under the layout's key, plus its metadata. */
export interface StoredObject {
  readonly key: string;
  readonly body: Uint8Array;
  readonly metadata: ArchiveMetadata;
}

export async function storedObject(prefix: string, entry: ArchiveEntry): Promise<StoredObject> {
  return {
    key: archiveKey(prefix, entry.receivedAtMs, entry.requestId),
    body: await storedBody(entry.body, entry.contentEncoding),
    metadata: archiveMetadata(entry),
  };
}

export async function archivedRequest(stored: StoredObject): Promise<ArchivedRequest> {
  const described = describedRequest(stored.key, stored.metadata);
  return { ...described, body: await receivedBody(stored.body, described.contentEncoding) };
}
