import { errorDetail, serverNow } from '../http-retry.ts';
import type { PartnerResponse } from '../http-retry.ts';

/**
 * On 429, until the `X-Rate-Limit-Reset` instant (epoch seconds), measured on the server's clock from its `Date`
 * header as Okta advises. Other failures carry the header too but say nothing about when to retry.
 */
export function rateLimitWaitMs(response: PartnerResponse, now: number): number | null {
  if (response.status !== 429) return null;
  const reset = Number(response.headers.get('x-rate-limit-reset'));
  if (!Number.isSafeInteger(reset) || reset <= 0) return null;
  const wait = reset * 1000 - serverNow(response, now);
  return wait > 0 ? wait : null;
}

/** Okta's words from a Management API error (`errorCode`, `errorSummary`) or an OAuth one (`error`, `error_description`). */
export function oktaErrorDetail(body: string): string {
  return errorDetail(body, (json) => {
    if (typeof json.errorSummary === 'string') return typeof json.errorCode === 'string' ? `${json.errorCode}: ${json.errorSummary}` : json.errorSummary;
    if (typeof json.error === 'string') return typeof json.error_description === 'string' ? `${json.error}: ${json.error_description}` : json.error;
    return null;
  });
}
