import { createPrivateKey } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signClientAssertion } from '../../../lambdas/rollup/okta/client-assertion.ts';
import { serviceAppKeys, startFakeOkta } from '../../support/fake-okta.ts';
import type { FakeOkta } from '../../support/fake-okta.ts';

// The fake is only worth testing against if it refuses what Okta refuses; these pin that down.
const CLIENT_ID = '0oa1app';
const NOW = Date.parse('2026-11-04T02:00:00Z');
let okta: FakeOkta;

beforeAll(async () => {
  okta = await startFakeOkta({ groups: [{ name: 'team-a', members: ['a@example.com'] }], apiToken: 'ssws-ok', serviceApp: { clientId: CLIENT_ID, publicKey: serviceAppKeys().publicKey }, now: () => NOW });
});
afterAll(async () => {
  await okta.close();
});

function assertion(patch: { audience?: string; nowMs?: number; jti?: string; clientId?: string } = {}): string {
  return signClientAssertion({ clientId: patch.clientId ?? CLIENT_ID, audience: patch.audience ?? `${okta.url}/oauth2/v1/token`, privateKey: createPrivateKey(serviceAppKeys().privateKeyPem), nowMs: patch.nowMs ?? NOW, ...(patch.jti === undefined ? {} : { jti: patch.jti }) });
}

async function token(form: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${okta.url}/oauth2/v1/token`, { method: 'POST', body: new URLSearchParams(form) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const grant = (clientAssertion: string, scope = 'okta.groups.read okta.users.read') => ({
  grant_type: 'client_credentials',
  scope,
  client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
  client_assertion: clientAssertion,
});

describe('the fake Okta token endpoint', () => {
  it('issues a bearer token for a good assertion, which then opens the API', async () => {
    const { status, body } = await token(grant(assertion()));
    expect(status).toBe(200);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'okta.groups.read okta.users.read' });
    const groups = await fetch(`${okta.url}/api/v1/groups`, { headers: { authorization: `Bearer ${String(body.access_token)}` } });
    expect(groups.status).toBe(200);
  });

  it.each([
    ['another audience', () => grant(assertion({ audience: 'https://acme.okta.com/oauth2/default/v1/token' })), 401, 'The audience claim'],
    ['an expired assertion', () => grant(assertion({ nowMs: NOW - 600_000 })), 401, 'expired'],
    ['another client', () => grant(assertion({ clientId: '0oa2other' })), 401, 'iss and sub'],
    ['a tampered signature', () => grant(`${assertion().slice(0, -4)}AAAA`), 401, 'signature is invalid'],
    ['a scope the app lacks', () => grant(assertion(), 'okta.users.manage'), 400, 'invalid_scope'],
  ])('refuses %s', async (_label, form, status, words) => {
    const answer = await token(form());
    expect(answer.status).toBe(status);
    expect(JSON.stringify(answer.body)).toContain(words);
  });

  it('refuses an assertion used twice', async () => {
    expect((await token(grant(assertion({ jti: 'once' })))).status).toBe(200);
    expect(await token(grant(assertion({ jti: 'once' })))).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
  });

  it('refuses API calls without a valid token, in Okta\'s error shape', async () => {
    const response = await fetch(`${okta.url}/api/v1/groups`, { headers: { authorization: 'SSWS wrong' } });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ errorCode: 'E0000011' });
  });
});
