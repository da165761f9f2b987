import { expect } from 'vitest';
import { PartnerApiError } from '../../lambdas/rollup/partner-errors.ts';

/** The PartnerApiError a partner call failed with; fails the test when it succeeded or failed otherwise. */
export async function partnerFailure(promise: Promise<unknown>): Promise<PartnerApiError> {
  const error: unknown = await promise.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(PartnerApiError);
  return error as PartnerApiError;
}
