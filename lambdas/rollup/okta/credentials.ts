import { createPrivateKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { PartnerConfigError } from '../partner-errors.ts';
import { envValue } from '../../config/env.ts';
import { configuredSecret, credentialSafeUrl } from '../secrets.ts';
import type { CredentialInputs } from '../secrets.ts';

/** How the rollup signs in to Okta: a legacy SSWS API token, or an OAuth 2.0 service app (recommended by Okta). */
export type OktaCredentials =
  | { readonly kind: 'ssws'; readonly apiToken: string }
  | { readonly kind: 'oauth'; readonly clientId: string; readonly privateKey: KeyObject; readonly keyId?: string };

export interface OktaSettings {
  /** The org's origin, `https://acme.okta.com`, without a trailing slash. */
  readonly orgUrl: string;
  readonly credentials: OktaCredentials;
}

export interface OktaCredentialInputs extends CredentialInputs {
  /** From the deployment's config; `OKTA_ORG_URL` when absent. */
  readonly orgUrl?: string;
}

const SECRET_FORMATS = 'expected {"api_token":"…"} or {"client_id":"…","private_key":"-----BEGIN PRIVATE KEY-----…"[,"key_id":"…"]}';

function orgOrigin(inputs: OktaCredentialInputs): string {
  const configured = inputs.orgUrl?.trim();
  const text = configured !== undefined && configured !== '' ? configured : envValue(inputs.env, 'OKTA_ORG_URL');
  if (text === null) throw new PartnerConfigError('no Okta org: set OKTA_ORG_URL (https://<your-org>.okta.com) or the deployment\'s Okta org URL');
  const url = credentialSafeUrl(text, 'the Okta org URL');
  if (url.pathname !== '/' || url.search !== '') throw new PartnerConfigError(`the Okta org URL is the org's address alone, like https://acme.okta.com, got "${text}"`);
  return url.origin;
}

function secretString(secret: Readonly<Record<string, unknown>>, field: string, secretId: string): string {
  const value = secret[field];
  if (typeof value !== 'string' || value.trim() === '') throw new PartnerConfigError(`Okta secret "${secretId}": "${field}" must be a non-empty string`);
  return value.trim();
}

function rsaPrivateKey(pem: string, secretId: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (error) {
    throw new PartnerConfigError(`Okta secret "${secretId}": "private_key" is not a PEM private key`, { cause: error });
  }
  if (key.asymmetricKeyType !== 'rsa') throw new PartnerConfigError(`Okta secret "${secretId}": "private_key" must be an RSA key for RS256, got ${key.asymmetricKeyType ?? 'an unknown type'}`);
  return key;
}

/** Parses the Okta secret: an SSWS token, or an OAuth service app's client id and private key; never both. */
export function parseOktaSecret(text: string, secretId: string): OktaCredentials {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new PartnerConfigError(`Okta secret "${secretId}" is not JSON; ${SECRET_FORMATS}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new PartnerConfigError(`Okta secret "${secretId}" is not a JSON object; ${SECRET_FORMATS}`);
  const secret = json as Record<string, unknown>;
  const hasToken = 'api_token' in secret;
  const hasClient = 'client_id' in secret || 'private_key' in secret;
  if (hasToken === hasClient) throw new PartnerConfigError(`Okta secret "${secretId}" must hold one way to sign in; ${SECRET_FORMATS}`);
  if (hasToken) return { kind: 'ssws', apiToken: secretString(secret, 'api_token', secretId) };
  const credentials = { kind: 'oauth', clientId: secretString(secret, 'client_id', secretId), privateKey: rsaPrivateKey(secretString(secret, 'private_key', secretId), secretId) } as const;
  return 'key_id' in secret ? { ...credentials, keyId: secretString(secret, 'key_id', secretId) } : credentials;
}

/**
 * The org and how to sign in: the Secrets Manager secret when a secret id is given, else `OKTA_API_TOKEN`.
 * Nothing configured is an error that says what to set, never an empty directory.
 */
export async function oktaSettings(inputs: OktaCredentialInputs): Promise<OktaSettings> {
  const orgUrl = orgOrigin(inputs);
  const secret = await configuredSecret(inputs, 'Okta');
  if (secret !== null) return { orgUrl, credentials: parseOktaSecret(secret.value, secret.id) };
  const apiToken = envValue(inputs.env, 'OKTA_API_TOKEN');
  if (apiToken === null) throw new PartnerConfigError('no Okta credentials: set OKTA_API_TOKEN or give the rollup the id of an Okta secret');
  return { orgUrl, credentials: { kind: 'ssws', apiToken } };
}
