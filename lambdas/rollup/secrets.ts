import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PartnerConfigError } from './partner-errors.ts';

/**
 * The secret has no value yet: the stack creates the partner secrets empty, and GetSecretValue answers
 * ResourceNotFoundException until the operator puts one. For an optional partner that means "not configured".
 */
export class SecretNotFilledError extends PartnerConfigError {}

/**
 * The string value of one Secrets Manager secret. `what` names the secret's purpose in errors, because the
 * bare id says little to whoever reads a failed run's log; the value itself never appears in one.
 */
export async function readSecretString(client: SecretsManagerClient, secretId: string, what: string): Promise<string> {
  let value: string | undefined;
  try {
    value = (await client.send(new GetSecretValueCommand({ SecretId: secretId }))).SecretString;
  } catch (error) {
    const name = error instanceof Error ? error.name : String(error);
    if (name === 'ResourceNotFoundException') throw new SecretNotFilledError(`the ${what} secret "${secretId}" does not exist or has no value yet`, { cause: error });
    if (name === 'AccessDeniedException') throw new PartnerConfigError(`this role may not read the ${what} secret "${secretId}"`, { cause: error });
    throw new PartnerConfigError(`cannot read the ${what} secret "${secretId}": ${name}`, { cause: error });
  }
  if (value === undefined || value.trim() === '') throw new SecretNotFilledError(`the ${what} secret "${secretId}" has no string value`);
  return value;
}

/** Where credentials may come from: the environment, and Secrets Manager when a secret id is given. */
export interface CredentialInputs {
  readonly env: NodeJS.ProcessEnv;
  readonly secretId?: string;
  /** @default a client for the Lambda's own region */
  readonly secrets?: SecretsManagerClient;
}

/** The secret when a secret id was given, else null: a configured secret wins over the environment. */
export async function configuredSecret(inputs: CredentialInputs, what: string): Promise<{ readonly id: string; readonly value: string } | null> {
  const id = inputs.secretId?.trim();
  if (id === undefined || id === '') return null;
  return { id, value: await readSecretString(inputs.secrets ?? new SecretsManagerClient({}), id, what) };
}

/** A URL the rollup may send credentials to: https, or http on this machine only (tests, local fakes). */
export function credentialSafeUrl(text: string, name: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new PartnerConfigError(`${name} is not a URL: "${text}"`);
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new PartnerConfigError(`${name} must be an https URL (plain http only on this machine), got "${text}"`);
  }
  return url;
}
