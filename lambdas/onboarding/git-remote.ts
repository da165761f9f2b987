// scp-like syntax `[user@]host:path`; a one-letter host would be a Windows drive (C:\repos\x).
const SCP_LIKE = /^(?:[^@/\s]+@)?([^:/\s]{2,}):(?!\/\/)(.+)$/;

function repoPath(path: string): string | undefined {
  const name = path.replace(/^\/+/, '').replace(/\/+$/, '').replace(/\.git$/, '');
  return name === '' ? undefined : name;
}

/**
 * The repository path of a git remote URL (`git@github.com:acme/payments-api.git`, `https://…/acme/payments-api.git`,
 * `ssh://git@host:22/acme/payments-api` → `acme/payments-api`), never its credentials. Undefined for local paths and
 * file:// remotes, which name no shared repository.
 */
export function repoFromRemoteUrl(remote: string): string | undefined {
  const trimmed = remote.trim();
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(trimmed)) {
    let url: URL;
    try {
      url = new URL(trimmed);
    } catch {
      return undefined;
    }
    return url.protocol === 'file:' || url.host === '' ? undefined : repoPath(url.pathname);
  }
  const scp = SCP_LIKE.exec(trimmed);
  return scp?.[2] === undefined ? undefined : repoPath(scp[2]);
}
