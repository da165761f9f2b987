import { execFile } from 'node:child_process';
import { basename } from 'node:path';
import { promisify } from 'node:util';
import { repoFromRemoteUrl } from '../../lambdas/onboarding/git-remote.ts';

const execFileAsync = promisify(execFile);

/** A git query's trimmed output; undefined when git is missing, this is no work tree, or the answer is empty. */
async function git(args: readonly string[], cwd: string | undefined): Promise<string | undefined> {
  try {
    const { stdout } = await execFileAsync('git', cwd === undefined ? args : ['-C', cwd, ...args]);
    const answer = stdout.trim();
    return answer === '' ? undefined : answer;
  } catch {
    return undefined;
  }
}

/**
 * The repository a directory (default: this process's) works in: owner/name of its git remote "origin", else
 * the name of its git top-level folder; undefined outside a work tree (or for a directory that is gone).
 */
export async function detectRepo(cwd?: string): Promise<string | undefined> {
  const remote = await git(['remote', 'get-url', 'origin'], cwd);
  const fromRemote = remote === undefined ? undefined : repoFromRemoteUrl(remote);
  if (fromRemote !== undefined) return fromRemote;
  const topLevel = await git(['rev-parse', '--show-toplevel'], cwd);
  return topLevel === undefined ? undefined : basename(topLevel);
}
