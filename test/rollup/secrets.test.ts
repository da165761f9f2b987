import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { PartnerConfigError } from '../../lambdas/rollup/partner-errors.ts';
import { credentialSafeUrl, readSecretString } from '../../lambdas/rollup/secrets.ts';

const secrets = mockClient(SecretsManagerClient);
afterEach(() => secrets.reset());

const client = () => new SecretsManagerClient({ region: 'us-east-1' });
const awsError = (name: string) => Object.assign(new Error(name), { name });

describe('readSecretString', () => {
  it('returns the secret string of the given id', async () => {
    secrets.on(GetSecretValueCommand, { SecretId: 'seatmeter/okta' }).resolves({ SecretString: '{"api_token":"x"}' });
    expect(await readSecretString(client(), 'seatmeter/okta', 'Okta')).toBe('{"api_token":"x"}');
  });

  it.each([
    [awsError('ResourceNotFoundException'), 'the Okta secret "seatmeter/okta" does not exist or has no value yet'],
    [awsError('AccessDeniedException'), 'this role may not read the Okta secret "seatmeter/okta"'],
    [awsError('InternalServiceError'), 'cannot read the Okta secret "seatmeter/okta": InternalServiceError'],
  ])('says why a secret cannot be read: %s', async (error, message) => {
    secrets.on(GetSecretValueCommand).rejects(error);
    await expect(readSecretString(client(), 'seatmeter/okta', 'Okta')).rejects.toThrow(new PartnerConfigError(message));
  });

  it.each([{}, { SecretString: ' ' }])('refuses a secret without a string value: %o', async (output) => {
    secrets.on(GetSecretValueCommand).resolves(output);
    await expect(readSecretString(client(), 'seatmeter/okta', 'Okta')).rejects.toThrow('the Okta secret "seatmeter/okta" has no string value');
  });
});

describe('credentialSafeUrl', () => {
  it('takes https anywhere and http on this machine only', () => {
    expect(credentialSafeUrl('https://acme.okta.com', 'X').origin).toBe('https://acme.okta.com');
    expect(credentialSafeUrl('http://127.0.0.1:8080', 'X').origin).toBe('http://127.0.0.1:8080');
    expect(credentialSafeUrl('http://localhost:8080', 'X').origin).toBe('http://localhost:8080');
  });

  it.each([
    ['http://acme.okta.com', 'X must be an https URL (plain http only on this machine), got "http://acme.okta.com"'],
    ['ftp://127.0.0.1', 'X must be an https URL (plain http only on this machine), got "ftp://127.0.0.1"'],
    ['acme.okta.com', 'X is not a URL: "acme.okta.com"'],
  ])('refuses %s', (text, message) => {
    expect(() => credentialSafeUrl(text, 'X')).toThrow(new PartnerConfigError(message));
  });
});
