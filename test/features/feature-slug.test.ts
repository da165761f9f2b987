import { describe, expect, it } from 'vitest';
import { MAX_SLUG_LENGTH, featureLabel, featureSlug, slugOf } from '../../lambdas/features/feature-slug.ts';

describe('featureSlug', () => {
  it.each([
    ['feat/checkout-rewrite', null, 'checkout-rewrite'],
    ['feature/Checkout Rewrite', null, 'checkout-rewrite'],
    ['FEAT/checkout/step-2', null, 'checkout-step-2'],
    ['PAY-123-fix-refunds', null, 'pay-123'],
    ['alice/PAY-123_fix', null, 'pay-123'],
    ['pay-123-lowercase', null, null],
    ['fix/typo', null, null],
    ['main', null, null],
    ['release-2026', null, null],
    ['feat/checkout', 'Fixes the cart.\n\nFeature: Checkout Rewrite\n', 'checkout-rewrite'],
    ['PAY-9-x', '  feature:   search  ', 'search'],
    ['feat/checkout', 'Feature: ***', 'checkout'],
    ['fix/typo', 'No feature line here; a feature: mid-sentence does not count', null],
  ])('branch %j, body %j → %j', (branch, body, expected) => {
    expect(featureSlug({ branch, body })).toBe(expected);
  });

  it('cuts slugs to fit a GitHub label and never ends them with a hyphen', () => {
    const slug = featureSlug({ branch: `feat/${'a'.repeat(41)}-b-c`, body: null });
    expect(slug).toBe('a'.repeat(41));
    expect(featureLabel(slugOf('x'.repeat(100)) ?? '').length).toBe('feature/'.length + MAX_SLUG_LENGTH);
  });

  it('names nothing for a branch that slugs to nothing', () => {
    expect(featureSlug({ branch: 'feat/***', body: null })).toBeNull();
  });
});
