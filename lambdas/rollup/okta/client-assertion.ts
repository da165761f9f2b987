import { randomUUID, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/** Okta accepts assertions valid for up to an hour; five minutes covers any clock skew and is less to replay. */
const ASSERTION_LIFETIME_S = 300;

export interface ClientAssertionInput {
  readonly clientId: string;
  /** The token endpoint the assertion is for: `<org>/oauth2/v1/token`. */
  readonly audience: string;
  readonly privateKey: KeyObject;
  /** The `kid` of the public key registered on the app, when it has several. */
  readonly keyId?: string;
  readonly nowMs: number;
  /** Unique per assertion: Okta rejects a `jti` it has seen. */
  readonly jti?: string;
}

function base64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}

/**
 * The `private_key_jwt` client assertion of the OAuth 2.0 client credentials grant (RFC 7523), signed RS256.
 * node:crypto does this in a few lines; a JOSE library would add a dependency for no behaviour we need.
 */
export function signClientAssertion(input: ClientAssertionInput): string {
  const iat = Math.floor(input.nowMs / 1000);
  const header = { alg: 'RS256', typ: 'JWT', ...(input.keyId === undefined ? {} : { kid: input.keyId }) };
  const claims = { iss: input.clientId, sub: input.clientId, aud: input.audience, iat, exp: iat + ASSERTION_LIFETIME_S, jti: input.jti ?? randomUUID() };
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  return `${signingInput}.${base64url(sign('sha256', Buffer.from(signingInput), input.privateKey))}`;
}
