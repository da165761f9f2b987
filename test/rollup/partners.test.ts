import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { PartnerConfigError } from '../../lambdas/rollup/partner-errors.ts';
import { ANTHROPIC_SECRET_ENV, rollupPartnersFrom } from '../../lambdas/rollup/partners.ts';

const secrets = mockClient(SecretsManagerClient);
beforeEach(() => secrets.reset());

describe('rollupPartnersFrom', () => {
  it('needs no partner: no team rule, and the Analytics API not configured rather than failing', async () => {
    const partners = rollupPartnersFrom({}, undefined);
    expect(partners.teamRule).toBeNull();
    expect(await partners.analytics.actorDays('2026-11-22')).toBeNull();
  });

  it('treats the stack\'s Anthropic secret without a value as not configured', async () => {
    secrets.on(GetSecretValueCommand).rejects(Object.assign(new Error("can't find the specified secret value"), { name: 'ResourceNotFoundException' }));
    const partners = rollupPartnersFrom({ [ANTHROPIC_SECRET_ENV]: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:anthropic' }, undefined);
    expect(await partners.analytics.actorDays('2026-11-22')).toBeNull();
  });

  it('stays loud when a partner is configured but broken', async () => {
    secrets.on(GetSecretValueCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    const partners = rollupPartnersFrom({ [ANTHROPIC_SECRET_ENV]: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:anthropic' }, undefined);
    await expect(partners.analytics.actorDays('2026-11-22')).rejects.toThrow(PartnerConfigError);
    expect(() => rollupPartnersFrom({ OKTA_ORG_URL: 'https://acme.okta.com' }, undefined)).toThrow('no team rule');
  });
});
