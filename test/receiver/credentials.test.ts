import { describe, expect, it } from 'vitest';
import { presentedSecret, secretMatches } from '../../lambdas/receiver/credentials.ts';

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
