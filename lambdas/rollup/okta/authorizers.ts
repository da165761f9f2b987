import { sendWithRetry } from '../http-retry.ts';
import type { RetryPolicy } from '../http-retry.ts';
import { PartnerApiError } from '../partner-errors.ts';
import { WireFieldError, countAt, objectAt, parseJsonBody, stringAt } from '../wire-fields.ts';
import { signClientAssertion } from './client-assertion.ts';
import type { OktaCredentials } from './credentials.ts';
import { oktaErrorDetail, rateLimitWaitMs } from './okta-http.ts';

/** Gives the `Authorization` header for the next Management API call. */
export interface OktaAuthorizer {
  authorization(): Promise<string>;
}

/** Read-only and nothing more: the directory lists groups and their members. */
export const OKTA_SCOPES = 'okta.groups.read okta.users.read';
const TOKEN_PATH = '/oauth2/v1/token';
const LABEL = `POST ${TOKEN_PATH}`;
/** A token is replaced this long before Okta says it expires, so no call carries one that expires in flight. */
const EXPIRY_MARGIN_MS = 5 * 60_000;

interface AccessToken {
  readonly value: string;
  readonly refreshAtMs: number;
}

function parseTokenAnswer(body: string, nowMs: number): AccessToken {
  const answer = objectAt(parseJsonBody(body), 'body');
  const type = stringAt(answer.token_type, 'token_type');
  if (type.toLowerCase() !== 'bearer') {
    throw new WireFieldError(`token_type: expected Bearer, got "${type}" (turn off "Require DPoP" on the service app; the rollup sends plain bearer tokens)`);
  }
  const lifetimeMs = countAt(answer.expires_in, 'expires_in') * 1000;
  return { value: stringAt(answer.access_token, 'access_token'), refreshAtMs: nowMs + Math.max(lifetimeMs - EXPIRY_MARGIN_MS, lifetimeMs / 2) };
}

/**
 * An OAuth 2.0 service app: client credentials grant on the org authorization server, authenticated with a
 * `private_key_jwt` assertion. The token is kept until shortly before it expires, and callers that need one
 * at the same moment share a single request.
 */
class ServiceAppAuthorizer implements OktaAuthorizer {
  readonly #orgUrl: string;
  readonly #credentials: Extract<OktaCredentials, { kind: 'oauth' }>;
  readonly #retry: RetryPolicy;
  #token: AccessToken | null = null;
  #pending: Promise<AccessToken> | null = null;

  constructor(orgUrl: string, credentials: Extract<OktaCredentials, { kind: 'oauth' }>, retry: RetryPolicy) {
    this.#orgUrl = orgUrl;
    this.#credentials = credentials;
    this.#retry = retry;
  }

  async authorization(): Promise<string> {
    if (this.#token === null || this.#retry.now() >= this.#token.refreshAtMs) {
      this.#pending ??= this.#requestToken().finally(() => {
        this.#pending = null;
      });
      this.#token = await this.#pending;
    }
    return `Bearer ${this.#token.value}`;
  }

  async #requestToken(): Promise<AccessToken> {
    const tokenUrl = `${this.#orgUrl}${TOKEN_PATH}`;
    const response = await sendWithRetry(
      {
        partner: 'Okta',
        label: LABEL,
        // A fresh assertion per attempt: Okta refuses a `jti` it has already seen.
        send: (signal) => {
          const form = new URLSearchParams({
            grant_type: 'client_credentials',
            scope: OKTA_SCOPES,
            client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
            client_assertion: signClientAssertion({ ...this.#credentials, audience: tokenUrl, nowMs: this.#retry.now() }),
          });
          return fetch(tokenUrl, { method: 'POST', headers: { accept: 'application/json', 'user-agent': 'seatmeter-rollup' }, body: form, signal });
        },
        requestedWaitMs: rateLimitWaitMs,
      },
      this.#retry,
    );
    if (response.status !== 200) {
      throw new PartnerApiError('Okta', response.status, `the token endpoint refused the service app "${this.#credentials.clientId}" (HTTP ${response.status}): ${oktaErrorDetail(response.body)}`);
    }
    try {
      return parseTokenAnswer(response.body, this.#retry.now());
    } catch (error) {
      if (!(error instanceof WireFieldError)) throw error;
      throw new PartnerApiError('Okta', 200, `unexpected ${LABEL} answer: ${error.message}`, { cause: error });
    }
  }
}

export function oktaAuthorizer(orgUrl: string, credentials: OktaCredentials, retry: RetryPolicy): OktaAuthorizer {
  if (credentials.kind === 'oauth') return new ServiceAppAuthorizer(orgUrl, credentials, retry);
  const header = `SSWS ${credentials.apiToken}`;
  return { authorization: () => Promise.resolve(header) };
}
