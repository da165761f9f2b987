import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CredentialSourceError } from './credential-types.ts';
import type { CredentialSource, IngestCredential } from './credential-types.ts';

export interface SecretsManagerCredentialOptions {
  readonly client: SecretsManagerClient;
  readonly secretId: string;
  /** How long a fetched secret is trusted; rotation takes effect within it. */
  readonly ttlMs?: number;
  readonly now?: () => number;
}

const DEFAULT_TTL_MS = 5 * 60_000;

/**
 * Parses the ingest secret: `{"credentials":[{"id":"team-a","token":"…","user_email":"…"}]}`, or one credential
 * alone, `{"id":"initial","token":"…"}` — the form the CDK stack generates at deploy, since Secrets Manager can
 * generate a key only at the top level. Every entry of the list is a valid credential, which is how tokens
 * rotate without downtime: switch to the list with the old and the new, hand the new one out, then remove the
 * old one. A malformed secret is an error naming the field, never a silently empty list.
 */
export function parseCredentialSecret(text: string): IngestCredential[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CredentialSourceError('ingest secret is not JSON');
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new CredentialSourceError('ingest secret must be a JSON object: {"credentials":[…]} or {"id","token"}');
  }
  const secret = json as Record<string, unknown>;
  if (!('credentials' in secret)) {
    if (!('id' in secret) && !('token' in secret)) throw new CredentialSourceError('ingest secret needs a non-empty "credentials" array, or one credential as {"id","token"}');
    return [credentialOf(secret, 'ingest secret ')];
  }
  if ('id' in secret || 'token' in secret) throw new CredentialSourceError('ingest secret has both "credentials" and a top-level "id"/"token": keep one form');
  const list = secret.credentials;
  if (!Array.isArray(list) || list.length === 0) throw new CredentialSourceError('ingest secret needs a non-empty "credentials" array');
  return list.map((entry: unknown, index) => credentialOf((entry ?? {}) as Record<string, unknown>, `credentials[${index}].`));
}

/** `where` prefixes each field's name in errors: `credentials[2].` in the list, `ingest secret ` alone. */
function credentialOf(row: Record<string, unknown>, where: string): IngestCredential {
  if (typeof row.id !== 'string' || row.id === '') throw new CredentialSourceError(`${where}id must be a non-empty string`);
  if (typeof row.token !== 'string' || row.token.length < 16) throw new CredentialSourceError(`${where}token must be a string of at least 16 characters`);
  if (row.user_email !== undefined && (typeof row.user_email !== 'string' || !row.user_email.includes('@'))) {
    throw new CredentialSourceError(`${where}user_email must be an email address`);
  }
  const credential: IngestCredential = { id: row.id, secret: row.token };
  return typeof row.user_email === 'string' ? { ...credential, userEmail: row.user_email.trim().toLowerCase() } : credential;
}

/** Ingest credentials from one Secrets Manager secret, cached for `ttlMs` across warm invocations. */
export class SecretsManagerCredentialSource implements CredentialSource {
  readonly #options: SecretsManagerCredentialOptions;
  #cached: { readonly credentials: readonly IngestCredential[]; readonly fetchedAt: number } | null = null;

  constructor(options: SecretsManagerCredentialOptions) {
    this.#options = options;
  }

  async credentials(): Promise<readonly IngestCredential[]> {
    const now = (this.#options.now ?? Date.now)();
    const ttl = this.#options.ttlMs ?? DEFAULT_TTL_MS;
    if (this.#cached !== null && now - this.#cached.fetchedAt < ttl) return this.#cached.credentials;
    let secret: string | undefined;
    try {
      const output = await this.#options.client.send(new GetSecretValueCommand({ SecretId: this.#options.secretId }));
      secret = output.SecretString;
    } catch (error) {
      // Secrets Manager briefly unreachable: the credentials from a moment ago are still the best answer.
      if (this.#cached !== null) return this.#cached.credentials;
      throw new CredentialSourceError(`cannot read the ingest secret: ${error instanceof Error ? error.name : String(error)}`);
    }
    if (secret === undefined) throw new CredentialSourceError('the ingest secret has no string value');
    const credentials = parseCredentialSecret(secret);
    this.#cached = { credentials, fetchedAt: now };
    return credentials;
  }
}
