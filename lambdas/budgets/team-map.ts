import { UNASSIGNED, normalizeEmail } from '../rollup/teams.ts';

/** The user → team map the rollup publishes (team_map/latest.json) or a hand-kept teams.json of the same shape. */
export class TeamMap {
  readonly #teams: ReadonlyMap<string, string>;

  constructor(teams: ReadonlyMap<string, string>) {
    this.#teams = teams;
  }

  static readonly EMPTY = new TeamMap(new Map());

  /** Reads `{"users": {"<email>": "<team>", …}}` (the rollup's map also carries `version` and `unassigned`). */
  static parse(text: string, source: string): TeamMap {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new TeamMapError(`${source} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
    const users = typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>).users : undefined;
    if (typeof users !== 'object' || users === null || Array.isArray(users)) throw new TeamMapError(`${source} must hold {"users": {"<email>": "<team>"}}`);
    const teams = new Map<string, string>();
    for (const [email, team] of Object.entries(users)) {
      const key = normalizeEmail(email);
      if (key === null || typeof team !== 'string' || team.trim() === '') throw new TeamMapError(`${source}: users["${email}"] must name a team`);
      teams.set(key, team.trim());
    }
    return new TeamMap(teams);
  }

  /** The user's team; `unassigned` for a user in none, null for usage without an identity (nobody's team). */
  teamOf(email: string | null): string | null {
    const key = normalizeEmail(email);
    return key === null ? null : (this.#teams.get(key) ?? UNASSIGNED);
  }

}

export class TeamMapError extends Error {
  override readonly name = 'TeamMapError';
}

/** Where the current map comes from: a file reread when it changes, or the rollup's published object. */
export interface TeamDirectoryMap {
  current(): Promise<TeamMap>;
}
