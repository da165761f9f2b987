import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { PullRequestWork } from '../features/session-features.ts';
import type { PullRequestSource } from '../rollup/sources.ts';

/** What `seatmeter features sync` keeps in the data directory: the pull requests read, and of which window. */
export interface SyncedPullRequests {
  readonly synced_at: string;
  /** Per repository, the earliest update time its PRs were read from: older PRs are not in the file. */
  readonly since: Readonly<Record<string, string>>;
  readonly pull_requests: readonly PullRequestWork[];
}

export class PullRequestFileError extends Error {
  override readonly name = 'PullRequestFileError';
}

export function pullRequestsPath(dataDir: string): string {
  return join(dataDir, 'pull-requests.json');
}

const isTime = (value: unknown): value is number => Number.isSafeInteger(value);

function work(value: unknown, path: string, index: number): PullRequestWork {
  const pr = value as Record<string, unknown>;
  const ok =
    typeof pr === 'object' &&
    pr !== null &&
    typeof pr.repo === 'string' &&
    Number.isSafeInteger(pr.number) &&
    (pr.feature === null || typeof pr.feature === 'string') &&
    Array.isArray(pr.people) &&
    pr.people.every((person) => typeof person === 'string') &&
    isTime(pr.startMs) &&
    (pr.endMs === null || isTime(pr.endMs));
  if (!ok) throw new PullRequestFileError(`${path}: pull_requests[${index}] is not a pull request as features sync writes it; run seatmeter features sync again`);
  return pr as unknown as PullRequestWork;
}

/** The file, checked; null when there is none (nothing synced yet). */
export async function readPullRequestFile(path: string): Promise<SyncedPullRequests | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new PullRequestFileError(`${path} is not JSON; run seatmeter features sync again`);
  }
  const file = json as Partial<Record<keyof SyncedPullRequests, unknown>>;
  if (typeof file !== 'object' || file === null || typeof file.synced_at !== 'string' || typeof file.since !== 'object' || file.since === null || !Array.isArray(file.pull_requests)) {
    throw new PullRequestFileError(`${path} is not a features sync file; run seatmeter features sync again`);
  }
  return { synced_at: file.synced_at, since: file.since as Record<string, string>, pull_requests: file.pull_requests.map((pr, i) => work(pr, path, i)) };
}

/**
 * A sync's pull requests over the file's: a PR read again replaces its old copy, the rest stay, so a short
 * `--since` never forgets what a longer one read. Each repository keeps the earliest window it was read from.
 */
export function mergeSync(previous: SyncedPullRequests | null, fresh: { readonly repos: readonly string[]; readonly sinceMs: number; readonly pullRequests: readonly PullRequestWork[]; readonly nowMs: number }): SyncedPullRequests {
  const keyOf = (pr: PullRequestWork) => `${pr.repo.toLowerCase()}#${pr.number}`;
  const merged = new Map((previous?.pull_requests ?? []).map((pr) => [keyOf(pr), pr]));
  for (const pr of fresh.pullRequests) merged.set(keyOf(pr), pr);
  const since: Record<string, string> = { ...previous?.since };
  const sinceIso = new Date(fresh.sinceMs).toISOString();
  for (const repo of fresh.repos) since[repo] = since[repo] !== undefined && since[repo] < sinceIso ? since[repo] : sinceIso;
  const pull_requests = [...merged.values()].sort((a, b) => (a.repo < b.repo ? -1 : a.repo > b.repo ? 1 : a.number - b.number));
  return { synced_at: new Date(fresh.nowMs).toISOString(), since, pull_requests };
}

/** Written beside and renamed over, so a reader never sees half a file. */
export async function writePullRequestFile(path: string, synced: SyncedPullRequests): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(synced, null, 2)}\n`);
  await rename(temporary, path);
}

/** The synced file as the rollup's pull-request source: null (every session unattributed) while nothing is synced. */
export class PullRequestFile implements PullRequestSource {
  readonly #path: string;

  constructor(path: string) {
    this.#path = path;
  }

  async pullRequests(): Promise<readonly PullRequestWork[] | null> {
    return (await readPullRequestFile(this.#path))?.pull_requests ?? null;
  }
}
