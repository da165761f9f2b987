import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { repoFromRemoteUrl } from '../onboarding/git-remote.ts';

/** The git directory of the work tree holding `start`: `.git` itself, or where a worktree's `.git` file points. */
function gitDirectory(start: string): string | null {
  for (let directory = resolve(start); ; directory = dirname(directory)) {
    const candidate = join(directory, '.git');
    try {
      if (statSync(candidate).isDirectory()) return candidate;
      const pointer = /^gitdir:\s*(.+)$/m.exec(readFileSync(candidate, 'utf8'))?.[1]?.trim();
      if (pointer !== undefined) {
        const linked = resolve(directory, pointer);
        // A linked worktree's config lives in the main repository's git directory (commondir).
        const common = readFileOrNull(join(linked, 'commondir'))?.trim();
        return common === undefined ? linked : resolve(linked, common);
      }
    } catch {
      // No .git here: look one level up.
    }
    if (dirname(directory) === directory) return null;
  }
}

function readFileOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** The remotes' URLs in a git config, by remote name, in file order. */
function remoteUrls(config: string): Map<string, string> {
  const urls = new Map<string, string>();
  let remote: string | null = null;
  for (const line of config.split(/\r?\n/)) {
    const section = /^\s*\[\s*remote\s+"([^"]+)"\s*\]/.exec(line);
    if (section !== null) {
      remote = section[1] ?? null;
      continue;
    }
    if (/^\s*\[/.test(line)) remote = null;
    const url = /^\s*url\s*=\s*(.+?)\s*$/.exec(line)?.[1];
    if (remote !== null && url !== undefined && !urls.has(remote)) urls.set(remote, url);
  }
  return urls;
}

/**
 * `owner/name` of the repository `directory` is in, from its `origin` remote (else its first), read from the git
 * config rather than by running git: the hook runs on every tool call. Null outside a repository or without
 * a shared remote.
 */
export function repoOfDirectory(directory: string): string | null {
  const gitDir = gitDirectory(directory);
  if (gitDir === null) return null;
  const config = readFileOrNull(join(gitDir, 'config'));
  if (config === null) return null;
  const urls = remoteUrls(config);
  const url = urls.get('origin') ?? urls.values().next().value;
  return url === undefined ? null : repoFromRemoteUrl(url) ?? null;
}
