import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { CredentialSourceError } from '../../lambdas/receiver/credential-types.ts';
import { SecretsManagerCredentialSource, parseCredentialSecret } from '../../lambdas/receiver/secrets-manager-credentials.ts';

const secrets = mockClient(SecretsManagerClient);
afterEach(() => secrets.reset());

const TOKEN_A = 'tok-aaaaaaaaaaaaaaaa';
const TOKEN_B = 'tok-bbbbbbbbbbbbbbbb';
const secretOf = (...credentials: object[]) => ({ SecretString: JSON.stringify({ credentials }) });

function source(now: () => number) {
  return new SecretsManagerCredentialSource({ client: new SecretsManagerClient({ region: 'us-east-1' }), secretId: 'seatmeter/ingest', ttlMs: 60_000, now });
}

describe('SecretsManagerCredentialSource', () => {
  it('reads every credential of the secret and caches them for the TTL', async () => {
    secrets.on(GetSecretValueCommand, { SecretId: 'seatmeter/ingest' }).resolves(secretOf({ id: 'team', token: TOKEN_A }, { id: 'ada', token: TOKEN_B, user_email: 'Ada@Example.com' }));
    let clock = 0;
    const credentials = source(() => clock);
    expect(await credentials.credentials()).toEqual([
      { id: 'team', secret: TOKEN_A },
      { id: 'ada', secret: TOKEN_B, userEmail: 'ada@example.com' },
    ]);
    clock = 59_999;
    await credentials.credentials();
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it('picks up a rotated secret once the TTL has passed', async () => {
    secrets.on(GetSecretValueCommand).resolvesOnce(secretOf({ id: 'old', token: TOKEN_A })).resolves(secretOf({ id: 'old', token: TOKEN_A }, { id: 'new', token: TOKEN_B }));
    let clock = 0;
    const credentials = source(() => clock);
    expect((await credentials.credentials()).map((c) => c.id)).toEqual(['old']);
    clock = 60_000;
    expect((await credentials.credentials()).map((c) => c.id)).toEqual(['old', 'new']);
  });

  it('keeps the last good credentials while Secrets Manager is unreachable, and fails without any', async () => {
    secrets.on(GetSecretValueCommand).resolvesOnce(secretOf({ id: 'team', token: TOKEN_A })).rejects(new Error('throttled'));
    let clock = 0;
    const credentials = source(() => clock);
    await credentials.credentials();
    clock = 120_000;
    expect((await credentials.credentials()).map((c) => c.id)).toEqual(['team']);
    await expect(source(() => 0).credentials()).rejects.toBeInstanceOf(CredentialSourceError);
  });
});

describe('parseCredentialSecret', () => {
  it('reads the single credential the CDK stack generates, as well as the list', () => {
    expect(parseCredentialSecret(JSON.stringify({ id: 'initial', token: TOKEN_A }))).toEqual([{ id: 'initial', secret: TOKEN_A }]);
    expect(parseCredentialSecret(JSON.stringify({ id: 'ada', token: TOKEN_B, user_email: ' Ada@Example.com' }))).toEqual([{ id: 'ada', secret: TOKEN_B, userEmail: 'ada@example.com' }]);
  });

  it.each([
    ['not json', 'not JSON'],
    ['[]', 'must be a JSON object'],
    ['"tok-aaaaaaaaaaaaaaaa"', 'must be a JSON object'],
    ['{}', 'non-empty "credentials" array, or one credential'],
    ['{"credentials":[]}', 'non-empty "credentials" array'],
    ['{"id":"initial"}', 'ingest secret token'],
    ['{"token":"tok-aaaaaaaaaaaaaaaa"}', 'ingest secret id'],
    ['{"id":"initial","token":"tok-aaaaaaaaaaaaaaaa","user_email":"nobody"}', 'ingest secret user_email'],
    ['{"id":"old","token":"tok-aaaaaaaaaaaaaaaa","credentials":[{"id":"new","token":"tok-bbbbbbbbbbbbbbbb"}]}', 'keep one form'],
    ['{"credentials":[{"token":"tok-aaaaaaaaaaaaaaaa"}]}', 'credentials[0].id'],
    ['{"credentials":[{"id":"x","token":"short"}]}', 'credentials[0].token'],
    ['{"credentials":[{"id":"x","token":"tok-aaaaaaaaaaaaaaaa","user_email":"nobody"}]}', 'credentials[0].user_email'],
  ])('refuses %s', (text, message) => {
    expect(() => parseCredentialSecret(text)).toThrow(message);
  });
});
