import { describe, expect, it } from 'vitest';
import { matchCredential, presentedSecret, secretMatches } from '../../lambdas/http-answers/credentials.ts';

const basic = (text: string) => `Basic ${Buffer.from(text).toString('base64')}`;

describe('presentedSecret', () => {
  it.each([
    ['Bearer abc', 'abc'],
    ['bearer   abc ', 'abc'],
    [basic('user:abc'), 'abc'],
    [basic(':abc:def'), 'abc:def'],
    [undefined, null],
    ['Bearer', null],
    ['Bearer ', null],
    ['Token abc', null],
    [basic('no-colon'), null],
  ])('%s → %s', (header, expected) => {
    expect(presentedSecret(header)).toBe(expected);
  });
});

describe('secretMatches', () => {
  it('matches only the exact token, whatever the lengths', () => {
    expect([secretMatches('abc', 'abc'), secretMatches('abd', 'abc'), secretMatches('ab', 'abc'), secretMatches('abcd', 'abc')]).toEqual([true, false, false, false]);
  });
});

describe('matchCredential', () => {
  const credentials = [
    { id: 'old', secret: 'token-one' },
    { id: 'new', secret: 'token-two' },
  ];

  it('finds whichever valid credential is presented, so tokens rotate without downtime', () => {
    expect([matchCredential('Bearer token-one', credentials)?.id, matchCredential('Bearer token-two', credentials)?.id]).toEqual(['old', 'new']);
  });

  it('finds none for a wrong, missing or malformed header', () => {
    expect([matchCredential('Bearer token-three', credentials), matchCredential(undefined, credentials), matchCredential('token-one', credentials)]).toEqual([null, null, null]);
  });
});
