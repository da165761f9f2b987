import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A decision as the hook last heard it: reused for the TTL so most tool calls ask no one. */
export interface CachedDecision {
  readonly checkedAtMs: number;
  readonly allow: boolean;
  readonly reason: string;
}

/** FNV-1a, enough to name a cache file per (endpoint, user, repo, client) without loading node:crypto. */
function fileKey(text: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

function readJson(path: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Written whole or not at all: a hook killed mid-write leaves the old file, never half a decision. */
function writeJson(path: string, directory: string, value: unknown): void {
  mkdirSync(directory, { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(value));
  renameSync(temporary, path);
}

/**
 * Decisions and the state of an outage, as small files in the user's cache directory. Every failure to read
 * one is a miss and every failure to write one is ignored: the cache saves time, it never decides.
 */
export class DecisionCache {
  readonly #directory: string;
  readonly #decision: string;
  readonly #outage: string;

  constructor(cacheDir: string, identity: string) {
    this.#directory = join(cacheDir, 'decisions');
    this.#decision = join(this.#directory, `${fileKey(identity)}.json`);
    this.#outage = join(this.#directory, `${fileKey(identity)}.outage.json`);
  }

  fresh(nowMs: number, ttlMs: number): CachedDecision | null {
    const value = readJson(this.#decision);
    if (value === null || typeof value.checkedAtMs !== 'number' || typeof value.allow !== 'boolean' || typeof value.reason !== 'string') return null;
    const age = nowMs - value.checkedAtMs;
    return age >= 0 && age < ttlMs ? { checkedAtMs: value.checkedAtMs, allow: value.allow, reason: value.reason } : null;
  }

  remember(decision: CachedDecision): void {
    try {
      writeJson(this.#decision, this.#directory, decision);
      rmSync(this.#outage, { force: true });
    } catch {
      // A read-only or full cache directory costs one request per call, nothing more.
    }
  }

  /** When the receiver was last found unreachable, and whether the developer has been told. */
  outage(): { readonly checkedAtMs: number; readonly warned: boolean } | null {
    const value = readJson(this.#outage);
    return value === null || typeof value.checkedAtMs !== 'number' ? null : { checkedAtMs: value.checkedAtMs, warned: value.warned === true };
  }

  recordOutage(checkedAtMs: number, warned: boolean): void {
    try {
      writeJson(this.#outage, this.#directory, { checkedAtMs, warned });
    } catch {
      // As above: without the file the developer may be warned again, which is the safe side.
    }
  }
}
