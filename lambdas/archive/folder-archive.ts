import { randomUUID } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DEFAULT_ARCHIVE_PREFIX, hourPrefixes, keyInRange } from './key-layout.ts';
import type { ArchiveMetadata } from './metadata.ts';
import { archivedRequest, storedObject } from './stored-object.ts';
import type { ArchiveEntry, ArchivedRequest, RawArchive } from './types.ts';

export interface FolderRawArchiveOptions {
  readonly dir: string;
}

const SIDECAR = '.json';

/** Writes through a temporary name, so a reader sees the whole file or none of it. */
export async function writeAtomically(path: string, data: Uint8Array | string): Promise<void> {
  const temporary = `${path}.${randomUUID()}.tmp`;
  try {
    await writeFile(temporary, data, { flag: 'wx' });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

async function namesIn(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/**
 * The raw archive on the local filesystem, for local mode and tests, with the S3 layout under `dir`: each
 * request is `<key>` holding the same gzip bytes as the S3 object, plus `<key>.json` holding the same
 * metadata record as the S3 object's user metadata. The sidecar is written last, so it marks a complete entry.
 */
export class FolderRawArchive implements RawArchive {
  readonly #dir: string;

  constructor(options: FolderRawArchiveOptions) {
    this.#dir = options.dir;
  }

  async put(entry: ArchiveEntry): Promise<string> {
    const stored = await storedObject(DEFAULT_ARCHIVE_PREFIX, entry);
    const path = join(this.#dir, stored.key);
    await mkdir(dirname(path), { recursive: true });
    await writeAtomically(path, stored.body);
    await writeAtomically(`${path}${SIDECAR}`, `${JSON.stringify(stored.metadata, null, 2)}\n`);
    return stored.key;
  }

  async *list(fromMs: number, toMs: number): AsyncIterable<ArchivedRequest> {
    for (const prefix of hourPrefixes(DEFAULT_ARCHIVE_PREFIX, fromMs, toMs)) {
      const keys = (await namesIn(join(this.#dir, prefix)))
        .filter((name) => name.endsWith(`.otlp${SIDECAR}`))
        .map((name) => `${prefix}${name.slice(0, -SIDECAR.length)}`)
        .filter((key) => keyInRange(key, fromMs, toMs))
        .sort();
      for (const key of keys) yield await this.#read(key);
    }
  }

  async #read(key: string): Promise<ArchivedRequest> {
    const path = join(this.#dir, key);
    const metadata = JSON.parse(await readFile(`${path}${SIDECAR}`, 'utf8')) as ArchiveMetadata;
    return archivedRequest({ key, body: new Uint8Array(await readFile(path)), metadata });
  }
}
