import { createPrivateKey, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signClientAssertion } from '../../../lambdas/rollup/okta/client-assertion.ts';
import { serviceAppKeys } from '../../support/fake-okta.ts';

const AUDIENCE = 'https://acme.okta.com/oauth2/v1/token';
const NOW = Date.parse('2026-11-04T02:00:00.750Z');

const decode = (part: string | undefined): unknown => JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8'));

describe('signClientAssertion', () => {
  const privateKey = createPrivateKey(serviceAppKeys().privateKeyPem);

  it('is an RS256 JWT with iss = sub = client id, the token URL as audience, five minutes of life and a jti', () => {
    const [header, claims, signature] = signClientAssertion({ clientId: '0oa1app', audience: AUDIENCE, privateKey, nowMs: NOW, jti: 'jti-1' }).split('.');

    expect(decode(header)).toEqual({ alg: 'RS256', typ: 'JWT' });
    const iat = Math.floor(NOW / 1000);
    expect(decode(claims)).toEqual({ iss: '0oa1app', sub: '0oa1app', aud: AUDIENCE, iat, exp: iat + 300, jti: 'jti-1' });
    expect(verify('sha256', Buffer.from(`${header}.${claims}`), serviceAppKeys().publicKey, Buffer.from(signature ?? '', 'base64url'))).toBe(true);
  });

  it('names the key when the app has several, and never repeats a jti', () => {
    const first = signClientAssertion({ clientId: '0oa1app', audience: AUDIENCE, privateKey, nowMs: NOW, keyId: 'key-2026' }).split('.');
    const second = signClientAssertion({ clientId: '0oa1app', audience: AUDIENCE, privateKey, nowMs: NOW }).split('.');

    expect(decode(first[0])).toEqual({ alg: 'RS256', typ: 'JWT', kid: 'key-2026' });
    expect((decode(first[1]) as { jti: string }).jti).not.toBe((decode(second[1]) as { jti: string }).jti);
  });
});
