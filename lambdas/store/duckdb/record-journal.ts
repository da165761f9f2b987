import { mkdirSync, readdirSync } from 'node:fs';
import { open, readFile, rm, truncate } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { SerialQueue } from '../../async/serial-queue.ts';

const SEGMENT = /^(\d{12})\.ndjson$/;

/** A journal segment that is damaged before its end: not a torn last write, so nothing may be guessed. */
export class JournalCorruptError extends Error {}

/**
 * The local store's write-ahead journal: records as JSON lines in numbered segment files, each append made
 * durable with one fdatasync. Appending costs a fraction of a millisecond where a DuckDB commit costs
 * several, so the store acknowledges an export once its records are here and moves them into the database
 * in batches. A segment is removed only after its records are committed there, so the journal and the
 * database together always hold every acknowledged record.
 */
export class RecordJournal {
  readonly #dir: string;
  readonly #queue = new SerialQueue();
  #next: number;
  #current: { readonly path: string; readonly handle: FileHandle; bytes: number } | null = null;
  /** Set when a failed append could not be undone: the segment's end is torn until a restart repairs it. */
  #broken: unknown = null;

  private constructor(dir: string, next: number) {
    this.#dir = dir;
    this.#next = next;
  }

  /**
   * Opens the journal in `dir`, creating it if needed, and returns it with the segments a previous process
   * left, oldest first, each cut back to its last complete line: a crash mid-append leaves a partial line
   * of a batch that was never acknowledged.
   */
  static async open(dir: string): Promise<{ readonly journal: RecordJournal; readonly leftovers: readonly string[] }> {
    mkdirSync(dir, { recursive: true });
    const leftovers = segmentsIn(dir);
    for (const path of leftovers) await repairTornTail(path);
    const last = leftovers.at(-1);
    return { journal: new RecordJournal(dir, last === undefined ? 1 : segmentNumber(last) + 1), leftovers };
  }

  /** Appends the lines (each ending in a newline) to the open segment; resolves with its path once they are on disk. */
  append(lines: string): Promise<string> {
    return this.#queue.run(async () => {
      if (this.#broken !== null) throw new Error('the journal could not undo a failed append; restart seatmeter serve to repair it', { cause: this.#broken });
      const current = (this.#current ??= await this.#openSegment());
      try {
        await current.handle.appendFile(lines);
        await current.handle.datasync();
      } catch (error) {
        // A partial line in the middle of a segment would be damage; cut back to the last acknowledged byte.
        await current.handle.truncate(current.bytes).catch((undo: unknown) => {
          this.#broken = undo;
        });
        throw error;
      }
      current.bytes += Buffer.byteLength(lines);
      return current.path;
    });
  }

  /** Closes the open segment after the appends queued before, and returns its path; null when none is open. */
  seal(): Promise<string | null> {
    return this.#queue.run(async () => {
      const current = this.#current;
      if (current === null) return null;
      this.#current = null;
      await current.handle.close();
      return current.path;
    });
  }

  async #openSegment(): Promise<{ readonly path: string; readonly handle: FileHandle; bytes: number }> {
    const path = join(this.#dir, `${String(this.#next).padStart(12, '0')}.ndjson`);
    this.#next += 1;
    return { path, handle: await open(path, 'a'), bytes: 0 };
  }
}

/** Removes a segment whose records the database now holds. */
export function removeSegment(path: string): Promise<void> {
  return rm(path, { force: true });
}

/** The journal segments in `dir`, oldest first; an empty list when there is no journal. */
export function segmentsIn(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names.filter((name) => SEGMENT.test(name)).sort().map((name) => join(dir, name));
}

function segmentNumber(path: string): number {
  return Number(SEGMENT.exec(path.slice(path.lastIndexOf('/') + 1))?.[1]);
}

/**
 * Cuts the segment after its last complete JSON line. Only the end of a segment can be torn (appends are
 * sequential and each is synced before the next): an unreadable line with readable lines after it is
 * damage, and refusing to start is better than dropping acknowledged records.
 */
async function repairTornTail(path: string): Promise<void> {
  const text = await readFile(path, 'utf8');
  let kept = 0;
  let torn = false;
  for (let start = 0; start < text.length; ) {
    const end = text.indexOf('\n', start);
    const line = end === -1 ? text.slice(start) : text.slice(start, end);
    const complete = end !== -1 && isJsonObject(line);
    if (complete && torn) throw new JournalCorruptError(`journal segment ${path} is damaged before its end (byte ${kept}); move it aside to start without its records`);
    if (complete) kept += Buffer.byteLength(line) + 1;
    else torn = true;
    start = end === -1 ? text.length : end + 1;
  }
  if (torn) await truncate(path, kept);
}

function isJsonObject(line: string): boolean {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}
