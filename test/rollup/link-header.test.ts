import { describe, expect, it } from 'vitest';
import { nextLink } from '../../lambdas/rollup/link-header.ts';

const SELF = '<https://acme.okta.com/api/v1/groups?limit=200>; rel="self"';
const NEXT = '<https://acme.okta.com/api/v1/groups?after=00g2&limit=200>; rel="next"';

describe('nextLink', () => {
  it.each([
    [`${SELF}, ${NEXT}`, 'https://acme.okta.com/api/v1/groups?after=00g2&limit=200'],
    [`${NEXT}, ${SELF}`, 'https://acme.okta.com/api/v1/groups?after=00g2&limit=200'],
    ['<https://acme.okta.com/a?after=x>;rel=next', 'https://acme.okta.com/a?after=x'],
    ['<https://acme.okta.com/a?after=x>; title="page, two"; REL="last next"', 'https://acme.okta.com/a?after=x'],
  ])('finds the next page in %s', (header, url) => {
    expect(nextLink(header)).toBe(url);
  });

  it.each([[null], [SELF], [''], ['<https://acme.okta.com/a>; rel="nextish"']])('finds none in %s', (header) => {
    expect(nextLink(header)).toBeNull();
  });
});
