import { GetObjectCommand, NoSuchKey } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { TeamMap } from '../budgets/team-map.ts';
import type { TeamDirectoryMap } from '../budgets/team-map.ts';

export interface S3TeamMapOptions {
  readonly client: S3Client;
  readonly bucket: string;
  /** The rollup's latest map (LATEST_TEAM_MAP_KEY). */
  readonly key: string;
  /** How long a read map is used before it is read again. Default 5 minutes. */
  readonly refreshMs?: number;
  readonly now?: () => number;
  /** Told when a refresh failed and the map read before is kept. */
  readonly onStale?: (error: unknown) => void;
}

const DEFAULT_REFRESH_MS = 5 * 60_000;

/**
 * The user → team map the rollup publishes, read from S3 at most once per refresh interval per container:
 * never Okta on the request path. No object yet (the rollup has not run) is no teams, everyone `unassigned`.
 * A failed refresh keeps the map it had; with none read yet it fails the request (503), since stamping
 * `unassigned` on a member's records would take their spend off their team's budget for good.
 */
export class S3TeamMap implements TeamDirectoryMap {
  readonly #options: S3TeamMapOptions;
  readonly #refreshMs: number;
  readonly #now: () => number;
  #cached: { readonly map: TeamMap; readonly readAtMs: number } | null = null;

  constructor(options: S3TeamMapOptions) {
    this.#options = options;
    this.#refreshMs = options.refreshMs ?? DEFAULT_REFRESH_MS;
    this.#now = options.now ?? Date.now;
  }

  async current(): Promise<TeamMap> {
    const now = this.#now();
    if (this.#cached !== null && now - this.#cached.readAtMs < this.#refreshMs) return this.#cached.map;
    try {
      this.#cached = { map: await this.#read(), readAtMs: now };
    } catch (error) {
      if (this.#cached === null) throw error;
      this.#options.onStale?.(error);
      this.#cached = { map: this.#cached.map, readAtMs: now };
    }
    return this.#cached.map;
  }

  async #read(): Promise<TeamMap> {
    const { bucket, key } = this.#options;
    try {
      const object = await this.#options.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return TeamMap.parse((await object.Body?.transformToString('utf8')) ?? '', `s3://${bucket}/${key}`);
    } catch (error) {
      if (error instanceof NoSuchKey) return TeamMap.EMPTY;
      throw error;
    }
  }
}
