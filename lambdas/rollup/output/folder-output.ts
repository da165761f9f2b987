import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeAtomically } from '../../archive/folder-archive.ts';
import type { RollupFile, RollupOutput } from './types.ts';

/** Rolled-up days in a local folder, laid out like the team bucket (`--out DIR`). */
export class FolderRollupOutput implements RollupOutput {
  readonly #dir: string;

  constructor(dir: string) {
    this.#dir = dir;
  }

  /** Each file goes through a temporary name, so a reader never sees half of one. */
  async writeDay(files: readonly RollupFile[]): Promise<void> {
    for (const file of files) {
      const path = join(this.#dir, file.key);
      await mkdir(dirname(path), { recursive: true });
      await writeAtomically(path, file.body);
    }
  }
}
