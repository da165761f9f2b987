import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoOfDirectory } from '../../lambdas/hook/repo-of-directory.ts';

function repository(config: string): string {
  const root = mkdtempSync(join(tmpdir(), 'seatmeter-repo-'));
  mkdirSync(join(root, '.git'));
  writeFileSync(join(root, '.git', 'config'), config);
  mkdirSync(join(root, 'src', 'deep'), { recursive: true });
  return root;
}

describe('repoOfDirectory', () => {
  it('reads origin from the git config above the directory, without running git', () => {
    const root = repository('[remote "upstream"]\n\turl = https://github.com/other/fork.git\n[remote "origin"]\n\turl = git@github.com:acme/checkout.git\n[branch "main"]\n\tremote = origin\n');
    expect(repoOfDirectory(join(root, 'src', 'deep'))).toBe('acme/checkout');
  });

  it('takes the first remote when there is no origin, and follows a linked worktree to its repository', () => {
    const main = repository('[remote "github"]\n\turl = https://user:token@github.com/acme/payments-api\n');
    expect(repoOfDirectory(main)).toBe('acme/payments-api');
    const worktreeGitDir = join(main, '.git', 'worktrees', 'feature');
    mkdirSync(worktreeGitDir, { recursive: true });
    writeFileSync(join(worktreeGitDir, 'commondir'), '../..\n');
    const worktree = mkdtempSync(join(tmpdir(), 'seatmeter-worktree-'));
    writeFileSync(join(worktree, '.git'), `gitdir: ${worktreeGitDir}\n`);
    expect(repoOfDirectory(worktree)).toBe('acme/payments-api');
  });

  it('is null outside a repository, without remotes, or with a local-path remote', () => {
    expect(repoOfDirectory(mkdtempSync(join(tmpdir(), 'seatmeter-norepo-')))).toBeNull();
    expect(repoOfDirectory(repository('[core]\n\tbare = false\n'))).toBeNull();
    expect(repoOfDirectory(repository('[remote "origin"]\n\turl = file:///srv/git/checkout.git\n'))).toBeNull();
  });
});
