import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { PartnerConfigError } from '../../lambdas/rollup/partner-errors.ts';
import { ANTHROPIC_SECRET_ENV, OKTA_SECRET_ENV, rollupPartnersFrom } from '../../lambdas/rollup/partners.ts';
import { startFakeOkta } from '../support/fake-okta.ts';

const secrets = mockClient(SecretsManagerClient);
beforeEach(() => secrets.reset());

describe('rollupPartnersFrom', () => {
  it('needs no partner: no team rule, and the Analytics API not configured rather than failing', async () => {
    const partners = rollupPartnersFrom({}, undefined);
    expect(await partners.teams.selectedTeams()).toBeNull();
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
    await expect(rollupPartnersFrom({ OKTA_ORG_URL: 'https://acme.okta.com', OKTA_API_TOKEN: 't' }, undefined).teams.selectedTeams()).rejects.toThrow('no team rule');
    expect(() => rollupPartnersFrom({}, 'prefix:')).toThrow('--team-groups: "prefix:" needs the start of the group names');
  });
});

describe('turning the team directory on later', () => {
  it('reads the stack\'s Okta secret again on each run until it is filled, then takes the org and rule from it', async () => {
    const okta = await startFakeOkta({ apiToken: 'okta-ssws-test-token', groups: [{ name: 'team-payments', members: ['Dev@Example.com'] }, { name: 'other', members: ['ana@example.com'] }] });
    try {
      const partners = rollupPartnersFrom({ [OKTA_SECRET_ENV]: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:okta' }, undefined);
      secrets.on(GetSecretValueCommand).rejects(Object.assign(new Error("can't find the specified secret value"), { name: 'ResourceNotFoundException' }));
      expect(await partners.teams.selectedTeams()).toBeNull();

      secrets.reset();
      secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ api_token: 'okta-ssws-test-token', org_url: okta.url, team_groups: 'prefix:team-' }) });
      expect(await partners.teams.selectedTeams()).toEqual({ rule: { kind: 'prefix', prefix: 'team-' }, members: new Map([['team-payments', ['dev@example.com']]]) });
      expect(okta.calls.groups).toBe(1);
    } finally {
      await okta.close();
    }
  });

  it('names the secret\'s field when its team rule is malformed', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ api_token: 't', org_url: 'https://acme.okta.com', team_groups: 'prefix:' }) });
    const partners = rollupPartnersFrom({ [OKTA_SECRET_ENV]: 'okta' }, undefined);
    await expect(partners.teams.selectedTeams()).rejects.toThrow('Okta secret "okta" team_groups: "prefix:" needs the start of the group names after it');
  });
});
