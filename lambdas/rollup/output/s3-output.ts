import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { RollupInputError } from '../errors.ts';
import type { RollupFile, RollupOutput } from './types.ts';

export interface S3RollupOutputOptions {
  readonly client: S3Client;
  readonly bucket: string;
  /** Empty, or ends with `/`. */
  readonly prefix?: string;
}

/**
 * Rolled-up days in the team bucket. A PUT replaces an object whole (S3 is strongly consistent), so Athena
 * reads either the old day or the new one of each table. The files of a day are not one unit: a run that
 * fails between PUTs leaves some tables re-run and others as they were, each whole and valid, and the failure
 * propagates so the schedule retries the day. A completion marker would add nothing, since Athena reads
 * whatever is under the partition and would not look for it.
 */
export class S3RollupOutput implements RollupOutput {
  readonly #client: S3Client;
  readonly #bucket: string;
  readonly #prefix: string;

  constructor(options: S3RollupOutputOptions) {
    this.#client = options.client;
    this.#bucket = options.bucket;
    this.#prefix = options.prefix ?? '';
    if (this.#prefix !== '' && !this.#prefix.endsWith('/')) throw new RollupInputError(`the team bucket prefix "${this.#prefix}" must end with /`);
  }

  async writeDay(files: readonly RollupFile[]): Promise<void> {
    for (const file of files) {
      await this.#client.send(new PutObjectCommand({ Bucket: this.#bucket, Key: `${this.#prefix}${file.key}`, Body: file.body, ContentType: file.contentType }));
    }
  }
}
