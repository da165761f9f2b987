import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { anthropicSettings } from '../../../lambdas/rollup/anthropic/credentials.ts';
import { PartnerConfigError } from '../../../lambdas/rollup/partner-errors.ts';

const secrets = mockClient(SecretsManagerClient);
afterEach(() => secrets.reset());

const client = new SecretsManagerClient({ region: 'us-east-1' });

describe('anthropicSettings', () => {
  it('takes the admin key from the secret when a secret id is given, even with the variable set', async () => {
    secrets.on(GetSecretValueCommand, { SecretId: 'seatmeter/anthropic' }).resolves({ SecretString: 'sk-ant-admin01-from-secret\n' });
    const settings = await anthropicSettings({ env: { ANTHROPIC_ADMIN_API_KEY: 'sk-ant-admin01-from-env' }, secretId: ' seatmeter/anthropic ', secrets: client });
    expect(settings).toEqual({ adminKey: 'sk-ant-admin01-from-secret', baseUrl: 'https://api.anthropic.com' });
  });

  it('falls back to ANTHROPIC_ADMIN_API_KEY and honours ANTHROPIC_BASE_URL', async () => {
    const settings = await anthropicSettings({ env: { ANTHROPIC_ADMIN_API_KEY: ' sk-ant-admin01-env ', ANTHROPIC_BASE_URL: 'http://127.0.0.1:9000' }, secretId: '' });
    expect(settings).toEqual({ adminKey: 'sk-ant-admin01-env', baseUrl: 'http://127.0.0.1:9000/' });
    expect(secrets.calls()).toHaveLength(0);
  });

  it('is not configured (null) when there is no key anywhere', async () => {
    expect(await anthropicSettings({ env: { ANTHROPIC_ADMIN_API_KEY: '  ' } })).toBeNull();
  });

  it('refuses a key with white space inside, naming where it came from', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'sk-ant-admin01 pasted twice' });
    await expect(anthropicSettings({ env: {}, secretId: 'seatmeter/anthropic', secrets: client })).rejects.toThrow('the Anthropic admin key in secret "seatmeter/anthropic" contains white space');
    await expect(anthropicSettings({ env: { ANTHROPIC_ADMIN_API_KEY: 'a b' } })).rejects.toThrow('the Anthropic admin key in ANTHROPIC_ADMIN_API_KEY contains white space');
  });

  it('refuses a base URL that would send the key in the clear', async () => {
    await expect(anthropicSettings({ env: { ANTHROPIC_ADMIN_API_KEY: 'k', ANTHROPIC_BASE_URL: 'http://proxy.internal' } })).rejects.toThrow('ANTHROPIC_BASE_URL must be an https URL');
  });

  it('is not configured while the stack\'s secret has no value, without falling back to the variable', async () => {
    secrets.on(GetSecretValueCommand).rejects(Object.assign(new Error('no value for AWSCURRENT'), { name: 'ResourceNotFoundException' }));
    expect(await anthropicSettings({ env: { ANTHROPIC_ADMIN_API_KEY: 'k' }, secretId: 'seatmeter/anthropic', secrets: client })).toBeNull();
  });

  it('fails loudly when a configured secret cannot be read', async () => {
    secrets.on(GetSecretValueCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    await expect(anthropicSettings({ env: {}, secretId: 'seatmeter/anthropic', secrets: client })).rejects.toThrow(
      new PartnerConfigError('this role may not read the Anthropic admin key secret "seatmeter/anthropic"'),
    );
  });
});
