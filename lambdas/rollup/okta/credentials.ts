import { createPrivateKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { PartnerConfigError } from '../partner-errors.ts';
import { envValue } from '../../config/env.ts';
import { SecretNotFilledError, configuredSecret, credentialSafeUrl } from '../secrets.ts';
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

/** What the Okta secret holds: how to sign in, and optionally where and which groups are teams. */
export interface OktaSecret {
  readonly credentials: OktaCredentials;
  /** `org_url`: lets an operator turn the team directory on by filling the secret, with no redeploy. */
  readonly orgUrl?: string;
  /** `team_groups`, in the `--team-groups` form. */
  readonly teamGroups?: string;
}

/** The team directory as configured: the org, how to sign in, and the team rule's text and where it came from. */
export interface OktaTeamSettings extends OktaSettings {
  readonly teamGroups: { readonly text: string; readonly source: string };
}

const SECRET_FORMATS = 'expected {"api_token":"…"} or {"client_id":"…","private_key":"-----BEGIN PRIVATE KEY-----…"[,"key_id":"…"]}, optionally with "org_url" and "team_groups"';

function orgOrigin(text: string, what: string): string {
  const url = credentialSafeUrl(text, what);
  if (url.pathname !== '/' || url.search !== '') throw new PartnerConfigError(`${what} is the org's address alone, like https://acme.okta.com, got "${text}"`);
  return url.origin;
}

function configuredOrg(inputs: OktaCredentialInputs): string | null {
  const configured = inputs.orgUrl?.trim();
  return configured !== undefined && configured !== '' ? configured : envValue(inputs.env, 'OKTA_ORG_URL');
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

function secretCredentials(secret: Readonly<Record<string, unknown>>, secretId: string): OktaCredentials {
  const hasToken = 'api_token' in secret;
  const hasClient = 'client_id' in secret || 'private_key' in secret;
  if (hasToken === hasClient) throw new PartnerConfigError(`Okta secret "${secretId}" must hold one way to sign in; ${SECRET_FORMATS}`);
  if (hasToken) return { kind: 'ssws', apiToken: secretString(secret, 'api_token', secretId) };
  const credentials = { kind: 'oauth', clientId: secretString(secret, 'client_id', secretId), privateKey: rsaPrivateKey(secretString(secret, 'private_key', secretId), secretId) } as const;
  return 'key_id' in secret ? { ...credentials, keyId: secretString(secret, 'key_id', secretId) } : credentials;
}

/** Parses the Okta secret: an SSWS token, or an OAuth service app's client id and private key (never both), and the optional org and team rule. */
export function parseOktaSecret(text: string, secretId: string): OktaSecret {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new PartnerConfigError(`Okta secret "${secretId}" is not JSON; ${SECRET_FORMATS}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new PartnerConfigError(`Okta secret "${secretId}" is not a JSON object; ${SECRET_FORMATS}`);
  const secret = json as Record<string, unknown>;
  return {
    credentials: secretCredentials(secret, secretId),
    ...('org_url' in secret ? { orgUrl: secretString(secret, 'org_url', secretId) } : {}),
    ...('team_groups' in secret ? { teamGroups: secretString(secret, 'team_groups', secretId) } : {}),
  };
}

/**
 * The team directory's settings, or null when nothing configures one: no org, no team rule, and no Okta
 * secret or only the stack's still-empty one. The deployment's config and the environment (`OKTA_ORG_URL`,
 * the caller's rule) win over the secret's `org_url` and `team_groups`, which fill what they leave out.
 * Anything configured but incomplete is an error that says what to set, never an empty directory.
 */
export async function oktaTeamSettings(inputs: OktaCredentialInputs & { readonly teamGroups: { readonly text: string; readonly source: string } | null }): Promise<OktaTeamSettings | null> {
  const org = configuredOrg(inputs);
  const intended = org !== null || inputs.teamGroups !== null;
  let secret: { readonly id: string; readonly value: string } | null;
  try {
    secret = await configuredSecret(inputs, 'Okta');
  } catch (error) {
    if (error instanceof SecretNotFilledError && !intended) return null;
    throw error;
  }
  if (secret === null) {
    if (!intended) return null;
    const apiToken = envValue(inputs.env, 'OKTA_API_TOKEN');
    if (apiToken === null) throw new PartnerConfigError('no Okta credentials: set OKTA_API_TOKEN or give the rollup the id of an Okta secret');
    return settingsOf(org, inputs.teamGroups, { kind: 'ssws', apiToken }, 'OKTA_ORG_URL');
  }
  const parsed = parseOktaSecret(secret.value, secret.id);
  const teamGroups = inputs.teamGroups ?? (parsed.teamGroups === undefined ? null : { text: parsed.teamGroups, source: `Okta secret "${secret.id}" team_groups` });
  return settingsOf(org ?? parsed.orgUrl ?? null, teamGroups, parsed.credentials, `OKTA_ORG_URL or "org_url" in the Okta secret "${secret.id}"`);
}

function settingsOf(org: string | null, teamGroups: OktaTeamSettings['teamGroups'] | null, credentials: OktaCredentials, orgSetting: string): OktaTeamSettings {
  if (org === null) throw new PartnerConfigError(`no Okta org: set ${orgSetting} (https://<your-org>.okta.com)`);
  if (teamGroups === null) throw new PartnerConfigError('no team rule: pass --team-groups, set SEATMETER_TEAM_GROUPS or "team_groups" in the Okta secret (prefix:<start of the group names>, or a comma-separated list)');
  return { orgUrl: orgOrigin(org, 'the Okta org URL'), credentials, teamGroups };
}
