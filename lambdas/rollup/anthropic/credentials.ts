import { PartnerConfigError } from '../partner-errors.ts';
import { envValue } from '../../config/env.ts';
import { SecretNotFilledError, configuredSecret, credentialSafeUrl } from '../secrets.ts';
import type { CredentialInputs } from '../secrets.ts';
import { ANTHROPIC_API_URL } from './analytics-source.ts';

export interface AnthropicSettings {
  readonly adminKey: string;
  readonly baseUrl: string;
}

/**
 * The admin key from the Secrets Manager secret when a secret id is given (its string value is the key
 * itself), else `ANTHROPIC_ADMIN_API_KEY`; the API base from `ANTHROPIC_BASE_URL`, else Anthropic's. Null when
 * neither holds a key (the stack's secret not filled yet): the Analytics API is optional, and adding the key
 * later is enough, with no redeploy.
 */
export async function anthropicSettings(inputs: CredentialInputs): Promise<AnthropicSettings | null> {
  let secret;
  try {
    secret = await configuredSecret(inputs, 'Anthropic admin key');
  } catch (error) {
    // The given secret is the source, filled or not: an unfilled one means "not yet", never the variable.
    if (error instanceof SecretNotFilledError) return null;
    throw error;
  }
  const adminKey = secret?.value.trim() ?? envValue(inputs.env, 'ANTHROPIC_ADMIN_API_KEY');
  if (adminKey === null) return null;
  const source = secret === null ? 'ANTHROPIC_ADMIN_API_KEY' : `secret "${secret.id}"`;
  if (/\s/.test(adminKey)) throw new PartnerConfigError(`the Anthropic admin key in ${source} contains white space`);
  const baseUrl = envValue(inputs.env, 'ANTHROPIC_BASE_URL');
  return { adminKey, baseUrl: baseUrl === null ? ANTHROPIC_API_URL : credentialSafeUrl(baseUrl, 'ANTHROPIC_BASE_URL').href };
}
