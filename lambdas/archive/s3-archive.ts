import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { DEFAULT_ARCHIVE_PREFIX, hourPrefixes, keyInRange } from './key-layout.ts';
import { archivedRequest, storedObject } from './stored-object.ts';
import type { ArchiveEntry, ArchivedRequest, RawArchive } from './types.ts';

export interface S3RawArchiveOptions {
  readonly client: S3Client;
  readonly bucket: string;
  /** Ends with `/`; default `raw/`. */
  readonly prefix?: string;
}

/** The raw archive in S3: one gzip object per accepted request, its request details in user metadata. */
export class S3RawArchive implements RawArchive {
  readonly #client: S3Client;
  readonly #bucket: string;
  readonly #prefix: string;

  constructor(options: S3RawArchiveOptions) {
    this.#client = options.client;
    this.#bucket = options.bucket;
    this.#prefix = options.prefix ?? DEFAULT_ARCHIVE_PREFIX;
  }

  async put(entry: ArchiveEntry): Promise<string> {
    const stored = await storedObject(this.#prefix, entry);
    // The object's own headers say what it is, so a download through the console or a browser gunzips it.
    await this.#client.send(
      new PutObjectCommand({
        Bucket: this.#bucket,
        Key: stored.key,
        Body: stored.body,
        ContentType: entry.contentType,
        ContentEncoding: 'gzip',
        Metadata: { ...stored.metadata },
      }),
    );
    return stored.key;
  }

  async *list(fromMs: number, toMs: number): AsyncIterable<ArchivedRequest> {
    for (const prefix of hourPrefixes(this.#prefix, fromMs, toMs)) {
      for await (const key of this.#keysUnder(prefix)) {
        if (keyInRange(key, fromMs, toMs)) yield await this.#get(key);
      }
    }
  }

  /** ListObjectsV2 returns keys in ascending order, page after page. */
  async *#keysUnder(prefix: string): AsyncIterable<string> {
    let continuationToken: string | undefined;
    do {
      const page = await this.#client.send(new ListObjectsV2Command({ Bucket: this.#bucket, Prefix: prefix, ContinuationToken: continuationToken }));
      for (const object of page.Contents ?? []) {
        if (object.Key !== undefined) yield object.Key;
      }
      continuationToken = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (continuationToken !== undefined);
  }

  async #get(key: string): Promise<ArchivedRequest> {
    const object = await this.#client.send(new GetObjectCommand({ Bucket: this.#bucket, Key: key }));
    if (object.Body === undefined) throw new Error(`archived request ${key} came back without a body`);
    return archivedRequest({ key, body: await object.Body.transformToByteArray(), metadata: object.Metadata ?? {} });
  }
}
