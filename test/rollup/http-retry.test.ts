import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY, backoffMs, sendWithRetry } from '../../lambdas/rollup/http-retry.ts';
import type { PartnerRequest, RetryPolicy } from '../../lambdas/rollup/http-retry.ts';
import { PartnerApiError } from '../../lambdas/rollup/partner-errors.ts';
import { manualClock } from '../support/fake-partner-server.ts';

function policy(): RetryPolicy & { readonly sleeps: readonly number[] } {
  const clock = manualClock(0);
  return { ...DEFAULT_RETRY_POLICY, maxAttempts: 3, now: clock.now, sleep: clock.sleep, random: clock.random, sleeps: clock.sleeps };
}

/** A request whose attempts play `outcomes` in order: a status to answer, or an error to throw. */
function scripted(outcomes: readonly (number | Error)[]): PartnerRequest & { attempts: number } {
  const request = {
    partner: 'Okta' as const,
    label: 'GET /thing',
    attempts: 0,
    send: () => {
      const outcome = outcomes[request.attempts] ?? 200;
      request.attempts += 1;
      return outcome instanceof Error ? Promise.reject(outcome) : Promise.resolve(new Response(`answer ${outcome}`, { status: outcome }));
    },
    requestedWaitMs: () => null,
  };
  return request;
}

const timeout = () => new DOMException('The operation was aborted due to timeout', 'TimeoutError');
const network = () => new TypeError('fetch failed', { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) });

describe('sendWithRetry', () => {
  it('returns the first final answer with its body, 4xx included', async () => {
    const request = scripted([503, 404]);
    const retry = policy();
    expect(await sendWithRetry(request, retry)).toMatchObject({ status: 404, body: 'answer 404' });
    expect(retry.sleeps).toEqual([750]);
  });

  it('retries timeouts and network failures, naming the last one when attempts run out', async () => {
    const request = scripted([timeout(), network(), network()]);
    const error = await sendWithRetry(request, policy()).catch((thrown: unknown) => thrown);
    expect(error).toEqual(new PartnerApiError('Okta', null, 'GET /thing still failing after 3 attempts (last: network error (ECONNRESET))'));
    expect(request.attempts).toBe(3);
  });

  it('says a timeout timed out', async () => {
    await expect(sendWithRetry(scripted([timeout(), timeout(), timeout()]), policy())).rejects.toThrow('(last: timed out)');
  });

  it('does not retry what repeating cannot fix: a partner refusal raised while sending, or a programming error', async () => {
    const refused = new PartnerApiError('Okta', 401, 'the token endpoint refused');
    const request = scripted([refused]);
    await expect(sendWithRetry(request, policy())).rejects.toBe(refused);
    const badUrl = scripted([new TypeError('Failed to parse URL')]);
    await expect(sendWithRetry(badUrl, policy())).rejects.toThrow('Failed to parse URL');
    expect(request.attempts + badUrl.attempts).toBe(2);
  });
});

describe('backoffMs', () => {
  it('doubles from the base up to the cap, keeping at least half of each wait', () => {
    const retry = { ...DEFAULT_RETRY_POLICY, random: () => 0 };
    expect([0, 1, 2, 3, 4, 5, 6].map((n) => backoffMs(n, retry))).toEqual([500, 1000, 2000, 4000, 8000, 15000, 15000]);
    expect(backoffMs(6, { ...retry, random: () => 0.999999 })).toBe(30000);
  });
});
