import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { TeamMap } from '../budgets/team-map.ts';
import type { TeamDirectoryMap } from '../budgets/team-map.ts';

/** The data directory's user → team map: the rollup's team_map/latest.json copied there, or kept by hand. */
export function teamMapPath(dataDir: string): string {
  return join(dataDir, 'teams.json');
}

/**
 * `teams.json`, reread when its modification time changes, so editing it needs no restart. No file means no
 * teams: everyone with an identity is `unassigned`. A file that does not parse fails the request that
 * needs it, naming the file, rather than quietly dropping team budgets.
 */
export class TeamMapFile implements TeamDirectoryMap {
  readonly #path: string;
  #cached: { readonly mtimeMs: number; readonly map: TeamMap } | null = null;

  constructor(path: string) {
    this.#path = path;
  }

  async current(): Promise<TeamMap> {
    let mtimeMs: number;
    try {
      mtimeMs = (await stat(this.#path)).mtimeMs;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return TeamMap.EMPTY;
      throw error;
    }
    if (this.#cached?.mtimeMs !== mtimeMs) this.#cached = { mtimeMs, map: TeamMap.parse(await readFile(this.#path, 'utf8'), this.#path) };
    return this.#cached.map;
  }
}
