import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { oktaTeamSettings, parseOktaSecret } from '../../../lambdas/rollup/okta/credentials.ts';
import { PartnerConfigError } from '../../../lambdas/rollup/partner-errors.ts';
import { serviceAppKeys } from '../../support/fake-okta.ts';

const secrets = mockClient(SecretsManagerClient);
afterEach(() => secrets.reset());

const client = new SecretsManagerClient({ region: 'us-east-1' });
const ORG = 'https://acme.okta.com';
const PEM = serviceAppKeys().privateKeyPem;

const RULE = { text: 'prefix:team-', source: '--team-groups' };
const notFilled = Object.assign(new Error("Secrets Manager can't find the specified secret value"), { name: 'ResourceNotFoundException' });

describe('oktaTeamSettings', () => {
  it('reads the org and an SSWS token from the environment', async () => {
    expect(await oktaTeamSettings({ env: { OKTA_ORG_URL: 'https://acme.okta.com/', OKTA_API_TOKEN: ' 00aToken ' }, teamGroups: RULE })).toEqual({
      orgUrl: ORG,
      credentials: { kind: 'ssws', apiToken: '00aToken' },
      teamGroups: RULE,
    });
  });

  it('prefers the configured org and the secret over the environment', async () => {
    secrets.on(GetSecretValueCommand, { SecretId: 'seatmeter/okta' }).resolves({ SecretString: JSON.stringify({ client_id: '0oa1app', private_key: PEM, key_id: 'k1', org_url: 'https://third.okta.com' }) });
    const settings = await oktaTeamSettings({ env: { OKTA_ORG_URL: 'https://other.okta.com', OKTA_API_TOKEN: 'ignored' }, orgUrl: ORG, teamGroups: RULE, secretId: 'seatmeter/okta', secrets: client });

    expect(settings?.orgUrl).toBe(ORG);
    expect(settings?.credentials).toMatchObject({ kind: 'oauth', clientId: '0oa1app', keyId: 'k1' });
    expect(settings?.credentials.kind === 'oauth' && settings.credentials.privateKey.asymmetricKeyType).toBe('rsa');
  });

  it('takes the org and the team rule from the secret when the deployment gives neither', async () => {
    secrets.on(GetSecretValueCommand, { SecretId: 'seatmeter/okta' }).resolves({ SecretString: JSON.stringify({ api_token: 't', org_url: 'https://acme.okta.com', team_groups: 'payments,platform' }) });
    expect(await oktaTeamSettings({ env: {}, teamGroups: null, secretId: 'seatmeter/okta', secrets: client })).toEqual({
      orgUrl: ORG,
      credentials: { kind: 'ssws', apiToken: 't' },
      teamGroups: { text: 'payments,platform', source: 'Okta secret "seatmeter/okta" team_groups' },
    });
  });

  it('is not configured when nothing names a directory and the stack\'s secret is still empty', async () => {
    secrets.on(GetSecretValueCommand).rejects(notFilled);
    expect(await oktaTeamSettings({ env: {}, teamGroups: null })).toBeNull();
    expect(await oktaTeamSettings({ env: {}, teamGroups: null, secretId: 'seatmeter/okta', secrets: client })).toBeNull();
  });

  it('stays loud when the deployment names a directory and its secret is still empty', async () => {
    secrets.on(GetSecretValueCommand).rejects(notFilled);
    await expect(oktaTeamSettings({ env: { OKTA_ORG_URL: ORG }, teamGroups: RULE, secretId: 'seatmeter/okta', secrets: client })).rejects.toThrow('the Okta secret "seatmeter/okta" does not exist or has no value yet');
  });

  it.each([
    [{ OKTA_API_TOKEN: 't' }, RULE, 'no Okta org: set OKTA_ORG_URL (https://<your-org>.okta.com)'],
    [{ OKTA_ORG_URL: ORG }, RULE, 'no Okta credentials: set OKTA_API_TOKEN or give the rollup the id of an Okta secret'],
    [{ OKTA_ORG_URL: ORG, OKTA_API_TOKEN: 't' }, null, 'no team rule: pass --team-groups, set SEATMETER_TEAM_GROUPS or "team_groups" in the Okta secret'],
    [{ OKTA_ORG_URL: 'https://acme.okta.com/admin/dashboard', OKTA_API_TOKEN: 't' }, RULE, 'the Okta org URL is the org\'s address alone, like https://acme.okta.com, got "https://acme.okta.com/admin/dashboard"'],
    [{ OKTA_ORG_URL: 'http://acme.okta.com', OKTA_API_TOKEN: 't' }, RULE, 'the Okta org URL must be an https URL'],
  ])('says what is missing or wrong: %o', async (env, teamGroups, message) => {
    await expect(oktaTeamSettings({ env, teamGroups })).rejects.toThrow(message);
  });

  it.each([
    ['no org anywhere', { api_token: 't', team_groups: 'prefix:team-' }, 'no Okta org: set OKTA_ORG_URL or "org_url" in the Okta secret "seatmeter/okta"'],
    ['no rule anywhere', { api_token: 't', org_url: ORG }, 'no team rule'],
    ['an org with a path', { api_token: 't', org_url: `${ORG}/admin`, team_groups: 'prefix:team-' }, 'the Okta org URL is the org\'s address alone'],
    ['an empty rule', { api_token: 't', org_url: ORG, team_groups: ' ' }, 'Okta secret "seatmeter/okta": "team_groups" must be a non-empty string'],
  ])('says what a filled secret lacks: %s', async (_label, secret, message) => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify(secret) });
    await expect(oktaTeamSettings({ env: {}, teamGroups: null, secretId: 'seatmeter/okta', secrets: client })).rejects.toThrow(message);
  });
});

describe('parseOktaSecret', () => {
  it('reads an SSWS token', () => {
    expect(parseOktaSecret('{"api_token":"00aToken"}', 's')).toEqual({ credentials: { kind: 'ssws', apiToken: '00aToken' } });
  });

  it('reads a service app with a PKCS#1 key as well as PKCS#8', () => {
    const pkcs1 = createPrivateKey(PEM).export({ type: 'pkcs1', format: 'pem' }).toString();
    expect(parseOktaSecret(JSON.stringify({ client_id: '0oa1app', private_key: pkcs1 }), 's').credentials).toMatchObject({ kind: 'oauth', clientId: '0oa1app' });
    expect(parseOktaSecret(JSON.stringify({ client_id: '0oa1app', private_key: PEM }), 's').credentials).not.toHaveProperty('keyId');
  });

  const ecKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  it.each([
    ['not JSON', 'api_token=x', 'Okta secret "s" is not JSON; expected {"api_token":"…"} or {"client_id":"…","private_key":"-----BEGIN PRIVATE KEY-----…"[,"key_id":"…"]}'],
    ['an array', '["x"]', 'Okta secret "s" is not a JSON object'],
    ['no way to sign in', '{}', 'Okta secret "s" must hold one way to sign in'],
    ['two ways to sign in', JSON.stringify({ api_token: 't', client_id: 'c', private_key: PEM }), 'Okta secret "s" must hold one way to sign in'],
    ['an empty token', '{"api_token":""}', 'Okta secret "s": "api_token" must be a non-empty string'],
    ['a key without client id', JSON.stringify({ private_key: PEM }), 'Okta secret "s": "client_id" must be a non-empty string'],
    ['a client id without key', '{"client_id":"c"}', 'Okta secret "s": "private_key" must be a non-empty string'],
    ['a key that is no PEM', '{"client_id":"c","private_key":"not a key"}', 'Okta secret "s": "private_key" is not a PEM private key'],
    ['an EC key', JSON.stringify({ client_id: 'c', private_key: ecKey }), 'Okta secret "s": "private_key" must be an RSA key for RS256, got ec'],
    ['an org that is no string', JSON.stringify({ api_token: 't', org_url: 7 }), 'Okta secret "s": "org_url" must be a non-empty string'],
    ['a key id that is no string', JSON.stringify({ client_id: 'c', private_key: PEM, key_id: 7 }), 'Okta secret "s": "key_id" must be a non-empty string'],
  ])('refuses %s', (_label, text, message) => {
    expect(() => parseOktaSecret(text, 's')).toThrow(PartnerConfigError);
    expect(() => parseOktaSecret(text, 's')).toThrow(message);
  });
});
