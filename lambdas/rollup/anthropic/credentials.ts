import { PartnerConfigError } from '../partner-errors.ts';
import { configuredSecret, credentialSafeUrl, envValue } from '../secrets.ts';
import type { CredentialInputs } from '../secrets.ts';
import { ANTHROPIC_API_URL } from './analytics-source.ts';

export interface AnthropicSettings {
  readonly adminKey: string;
  readonly baseUrl: string;
}

/**
 * The admin key from the Secrets Manager secret when a secret id is given (its string value is the key
 * itself), else `ANTHROPIC_ADMIN_API_KEY`; the API base from `ANTHROPIC_BASE_URL`, else Anthropic's.
 */
export async function anthropicSettings(inputs: CredentialInputs): Promise<AnthropicSettings> {
  const secret = await configuredSecret(inputs, 'Anthropic admin key');
  const adminKey = secret?.value.trim() ?? envValue(inputs.env, 'ANTHROPIC_ADMIN_API_KEY');
  if (adminKey === null) {
    throw new PartnerConfigError('no Anthropic admin key: set ANTHROPIC_ADMIN_API_KEY or give the rollup the id of a secret holding it');
  }
  const source = secret === null ? 'ANTHROPIC_ADMIN_API_KEY' : `secret "${secret.id}"`;
  if (/\s/.test(adminKey)) throw new PartnerConfigError(`the Anthropic admin key in ${source} contains white space`);
  const baseUrl = envValue(inputs.env, 'ANTHROPIC_BASE_URL');
  return { adminKey, baseUrl: baseUrl === null ? ANTHROPIC_API_URL : credentialSafeUrl(baseUrl, 'ANTHROPIC_BASE_URL').href };
}
