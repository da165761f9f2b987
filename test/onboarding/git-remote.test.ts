import { describe, expect, it } from 'vitest';
import { repoFromRemoteUrl } from '../../lambdas/onboarding/git-remote.ts';

describe('repoFromRemoteUrl', () => {
  it.each([
    ['git@github.com:acme/payments-api.git', 'acme/payments-api'],
    ['git@github.com:acme/payments-api', 'acme/payments-api'],
    ['github.com:acme/payments-api.git', 'acme/payments-api'],
    ['https://github.com/acme/payments-api.git', 'acme/payments-api'],
    ['https://github.com/acme/payments-api/', 'acme/payments-api'],
    ['https://ci:s3cret@gitlab.example.com/platform/billing/payments-api.git', 'platform/billing/payments-api'],
    ['ssh://git@host:22/acme/payments-api', 'acme/payments-api'],
    ['ssh://git@host/acme/payments-api.git', 'acme/payments-api'],
    ['git://example.org/acme/payments-api.git', 'acme/payments-api'],
    ['  git@github.com:acme/payments-api.git\n', 'acme/payments-api'],
  ])('%j → %j', (remote, repo) => {
    expect(repoFromRemoteUrl(remote)).toBe(repo);
  });

  it.each([
    '/srv/git/payments-api.git',
    '../payments-api',
    'file:///srv/git/payments-api.git',
    'C:\\repos\\payments-api',
    'https://github.com/',
    'git@github.com:.git',
    '',
  ])('names no shared repository for %j', (remote) => {
    expect(repoFromRemoteUrl(remote)).toBeUndefined();
  });
});
