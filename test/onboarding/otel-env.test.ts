import { describe, expect, it } from 'vitest';
import { bearerHeadersEnv, encodeOtelEnvValue, userResourceAttributes, withServiceNamespace } from '../../lambdas/onboarding/otel-env.ts';

describe('encodeOtelEnvValue', () => {
  it.each([
    ['a,b', 'a%2Cb'],
    ['a=b', 'a%3Db'],
    ['100%', '100%25'],
    ['a;b', 'a%3Bb'],
    ['Bearer tok', 'Bearer%20tok'],
    ['say "hi"', 'say%20%22hi%22'],
    ['a\\b', 'a%5Cb'],
    ['tab\there', 'tab%09here'],
    ['équipe', '%C3%A9quipe'],
  ])('encodes what the baggage syntax reserves: %j → %j', (raw, encoded) => {
    expect(encodeOtelEnvValue(raw)).toBe(encoded);
  });

  it.each(['dev+ci@example.com', 'acme/payments-api', "o'brien$!~*()[]"])('leaves %j as written, for SDKs that do not decode', (raw) => {
    expect(encodeOtelEnvValue(raw)).toBe(raw);
  });

  it('decodes back to the original with the decoder the JS SDKs use', () => {
    const raw = 'k=v, x;y % "q" \\ é ✓';
    expect(decodeURIComponent(encodeOtelEnvValue(raw))).toBe(raw);
  });
});

describe('bearerHeadersEnv', () => {
  it('percent-encodes the space after Bearer', () => {
    expect(bearerHeadersEnv('abc123')).toBe('Authorization=Bearer%20abc123');
  });

  it('encodes the separators a base64 token may hold, so the pair still splits at one "="', () => {
    expect(bearerHeadersEnv('ab==,c')).toBe('Authorization=Bearer%20ab%3D%3D%2Cc');
  });
});

describe('userResourceAttributes', () => {
  it('names the user', () => {
    expect(userResourceAttributes('dev@example.com')).toBe('user.email=dev@example.com');
  });
});

describe('withServiceNamespace', () => {
  it('starts the list when there is none', () => {
    expect(withServiceNamespace(undefined, 'acme/payments-api')).toBe('service.namespace=acme/payments-api');
  });

  it('appends to existing attributes, keeping them as written', () => {
    expect(withServiceNamespace('user.email=dev@example.com,team=a%2Cb', 'acme/payments-api')).toBe(
      'user.email=dev@example.com,team=a%2Cb,service.namespace=acme/payments-api',
    );
  });

  it('replaces an existing service.namespace wherever it stands', () => {
    expect(withServiceNamespace(' service.namespace = old ,user.email=dev@example.com', 'acme/payments-api')).toBe(
      'user.email=dev@example.com,service.namespace=acme/payments-api',
    );
  });

  it('drops empty entries', () => {
    expect(withServiceNamespace(',user.email=dev@example.com,,', 'x')).toBe('user.email=dev@example.com,service.namespace=x');
  });

  it('encodes a repository name that holds separators', () => {
    expect(withServiceNamespace('', 'odd,name=1')).toBe('service.namespace=odd%2Cname%3D1');
  });
});
