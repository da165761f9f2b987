import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { GITHUB_API_URL, gitHubSettings, parseLoginEmails, parseRepos } from '../../../lambdas/features/github/github-settings.ts';
import { PartnerConfigError } from '../../../lambdas/rollup/partner-errors.ts';
import { GITHUB_SECRET_ENV, rollupPartnersFrom } from '../../../lambdas/rollup/partners.ts';
import { GITHUB_TOKEN, startFakeGitHub } from '../../support/fake-github.ts';

const secrets = mockClient(SecretsManagerClient);
beforeEach(() => secrets.reset());
const SECRET_ID = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:github';
const notFilled = () => secrets.on(GetSecretValueCommand).rejects(Object.assign(new Error("can't find the specified secret value"), { name: 'ResourceNotFoundException' }));

describe('GitHub settings', () => {
  it('are off with no repository configured, even with a token', async () => {
    expect(await gitHubSettings({ env: { GITHUB_TOKEN: 't' } })).toBeNull();
    notFilled();
    expect(await gitHubSettings({ env: {}, secretId: SECRET_ID })).toBeNull();
  });

  it('take repositories, token and logins from the environment', async () => {
    const settings = await gitHubSettings({ env: { SEATMETER_GITHUB_REPOS: 'acme/shop, acme/pay,acme/shop', GITHUB_TOKEN: ' t ', SEATMETER_GITHUB_LOGIN_EMAILS: 'Bob=Bob@Acme.test' } });
    expect(settings).toEqual({ baseUrl: GITHUB_API_URL, token: 't', repos: ['acme/shop', 'acme/pay'], loginEmails: new Map([['bob', 'bob@acme.test']]) });
    expect((await gitHubSettings({ env: { GITHUB_TOKEN: 't' }, repos: 'acme/cli' }))?.repos).toEqual(['acme/cli']);
  });

  it('take everything from a filled secret, the environment winning per setting and per login', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ token: 'from-secret', repos: 'acme/shop', login_emails: { bob: 'bob@acme.test', ann: 'ann@old.test' } }) });
    const settings = await gitHubSettings({ env: { GITHUB_TOKEN: 'ignored', SEATMETER_GITHUB_LOGIN_EMAILS: 'ann=ann@acme.test' }, secretId: SECRET_ID });
    expect(settings).toMatchObject({ token: 'from-secret', repos: ['acme/shop'], loginEmails: new Map([['bob', 'bob@acme.test'], ['ann', 'ann@acme.test']]) });
  });

  it.each([
    [{ SEATMETER_GITHUB_REPOS: 'acme/shop' }, 'no GitHub token: set GITHUB_TOKEN'],
    [{ SEATMETER_GITHUB_REPOS: 'shop', GITHUB_TOKEN: 't' }, 'SEATMETER_GITHUB_REPOS: "shop" is not an owner/name repository'],
    [{ SEATMETER_GITHUB_REPOS: 'acme/..', GITHUB_TOKEN: 't' }, '"acme/.." is not an owner/name repository'],
    [{ SEATMETER_GITHUB_REPOS: ' , ', GITHUB_TOKEN: 't' }, 'SEATMETER_GITHUB_REPOS names no repository'],
    [{ SEATMETER_GITHUB_REPOS: 'acme/shop', GITHUB_TOKEN: 't', SEATMETER_GITHUB_LOGIN_EMAILS: 'bob' }, 'SEATMETER_GITHUB_LOGIN_EMAILS: "bob" is not login=email'],
    [{ SEATMETER_GITHUB_REPOS: 'acme/shop', GITHUB_TOKEN: 't', SEATMETER_GITHUB_LOGIN_EMAILS: 'bob=bob' }, '"bob" (for bob) is not an email address'],
    [{ SEATMETER_GITHUB_REPOS: 'acme/shop', GITHUB_TOKEN: 't', GITHUB_API_URL: 'http://github.example' }, 'GITHUB_API_URL must be an https URL'],
  ])('refuse %j', async (env, message) => {
    const settings = gitHubSettings({ env });
    await expect(settings).rejects.toThrow(PartnerConfigError);
    await expect(settings).rejects.toThrow(message);
  });

  it.each([
    ['not json', 'is not JSON'],
    ['[]', 'is not a JSON object'],
    ['{"repos":"acme/shop"}', '"token" must be a non-empty string'],
    ['{"token":"t","repos":["acme/shop"]}', '"repos" must be a string'],
    ['{"token":"t","login_emails":{"bob":1}}', 'the email for "bob" must be a string'],
  ])('refuse the secret %s', async (value, message) => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: value });
    await expect(gitHubSettings({ env: {}, secretId: SECRET_ID })).rejects.toThrow(`GitHub secret "${SECRET_ID}"`);
    await expect(gitHubSettings({ env: {}, secretId: SECRET_ID })).rejects.toThrow(message);
  });

  it('parse their lists', () => {
    expect(parseRepos('a/b,c/d.e', 'x')).toEqual(['a/b', 'c/d.e']);
    expect(parseLoginEmails('a=a@x.test, b-c=b@x.test,', 'x')).toEqual(new Map([['a', 'a@x.test'], ['b-c', 'b@x.test']]));
    expect(() => parseLoginEmails('-a=a@x.test', 'x')).toThrow('"-a" is not a GitHub login');
  });
});

describe('turning feature attribution on later', () => {
  it('reads the stack\'s GitHub secret again on each run until it is filled', async () => {
    const github = await startFakeGitHub([
      { repo: 'acme/shop', number: 1, login: 'ann', branch: 'feat/checkout', body: null, labels: [], created: '2026-11-22T08:00:00Z', updated: '2026-11-22T09:00:00Z', merged: null, closed: null, commits: [] },
    ]);
    try {
      const partners = rollupPartnersFrom({ [GITHUB_SECRET_ENV]: SECRET_ID, GITHUB_API_URL: github.url }, undefined);
      notFilled();
      expect(await partners.pullRequests.pullRequests(0)).toBeNull();
      secrets.reset();
      secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ token: GITHUB_TOKEN, repos: 'acme/shop', login_emails: { ann: 'ann@acme.test' } }) });
      expect(await partners.pullRequests.pullRequests(0)).toEqual([
        { repo: 'acme/shop', number: 1, feature: 'checkout', people: ['ann@acme.test'], startMs: Date.parse('2026-11-22T08:00:00Z'), endMs: null },
      ]);
    } finally {
      await github.close();
    }
  });
});
