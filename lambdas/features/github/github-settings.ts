import { envValue } from '../../config/env.ts';
import { PartnerConfigError } from '../../rollup/partner-errors.ts';
import { SecretNotFilledError, configuredSecret, credentialSafeUrl } from '../../rollup/secrets.ts';
import type { CredentialInputs } from '../../rollup/secrets.ts';

export const GITHUB_API_URL = 'https://api.github.com';

/** What feature attribution reads GitHub with: which repositories, as whom, and who each login is. */
export interface GitHubSettings {
  readonly baseUrl: string;
  readonly token: string;
  /** `owner/name`, in the order configured, each once. */
  readonly repos: readonly string[];
  /** Lower-cased login → lower-cased email. */
  readonly loginEmails: ReadonlyMap<string, string>;
}

export interface GitHubInputs extends CredentialInputs {
  /** `--repos`: wins over SEATMETER_GITHUB_REPOS and the secret's `repos`. */
  readonly repos?: string;
}

const SECRET_FORMAT = 'expected {"token":"…"} with optional "repos" ("owner/name,…") and "login_emails" ({"login":"email",…})';
const REPO = /^[\w.-]+\/[\w.-]+$/;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** `owner/name,owner/name`: each checked, duplicates dropped. */
export function parseRepos(text: string, source: string): string[] {
  const repos = text.split(',').map((repo) => repo.trim()).filter((repo) => repo !== '');
  const bad = repos.find((repo) => !REPO.test(repo) || repo.split('/').some((part) => /^\.+$/.test(part)));
  if (bad !== undefined) throw new PartnerConfigError(`${source}: "${bad}" is not an owner/name repository`);
  if (repos.length === 0) throw new PartnerConfigError(`${source} names no repository (owner/name, comma-separated)`);
  return [...new Set(repos)];
}

function loginEmail(login: string, email: string, source: string): [string, string] {
  const name = login.trim().toLowerCase();
  const address = email.trim().toLowerCase();
  if (!/^[a-z\d](?:[a-z\d-]*[a-z\d])?$/.test(name)) throw new PartnerConfigError(`${source}: "${login}" is not a GitHub login`);
  if (!EMAIL.test(address)) throw new PartnerConfigError(`${source}: "${email}" (for ${login}) is not an email address`);
  return [name, address];
}

/** `login=email,login=email`, as SEATMETER_GITHUB_LOGIN_EMAILS holds it. */
export function parseLoginEmails(text: string, source: string): Map<string, string> {
  const pairs = text.split(',').map((pair) => pair.trim()).filter((pair) => pair !== '');
  return new Map(
    pairs.map((pair) => {
      const at = pair.indexOf('=');
      if (at < 0) throw new PartnerConfigError(`${source}: "${pair}" is not login=email`);
      return loginEmail(pair.slice(0, at), pair.slice(at + 1), source);
    }),
  );
}

interface GitHubSecret {
  readonly token: string;
  readonly repos?: string;
  readonly loginEmails: Map<string, string>;
}

export function parseGitHubSecret(text: string, secretId: string): GitHubSecret {
  const source = `GitHub secret "${secretId}"`;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new PartnerConfigError(`${source} is not JSON; ${SECRET_FORMAT}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new PartnerConfigError(`${source} is not a JSON object; ${SECRET_FORMAT}`);
  const { token, repos, login_emails: logins } = json as Record<string, unknown>;
  if (typeof token !== 'string' || token.trim() === '') throw new PartnerConfigError(`${source}: "token" must be a non-empty string; ${SECRET_FORMAT}`);
  if (repos !== undefined && typeof repos !== 'string') throw new PartnerConfigError(`${source}: "repos" must be a string of owner/name, comma-separated`);
  if (logins !== undefined && (typeof logins !== 'object' || logins === null || Array.isArray(logins))) throw new PartnerConfigError(`${source}: "login_emails" must be an object of login → email`);
  const loginEmails = new Map(
    Object.entries((logins ?? {}) as Record<string, unknown>).map(([login, email]) => {
      if (typeof email !== 'string') throw new PartnerConfigError(`${source}: the email for "${login}" must be a string`);
      return loginEmail(login, email, source);
    }),
  );
  return { token: token.trim(), ...(repos === undefined ? {} : { repos }), loginEmails };
}

/**
 * GitHub's settings for feature attribution, or null when no repository is configured: `--repos`, else
 * SEATMETER_GITHUB_REPOS, else the secret's `repos`. The token is the secret's when a secret id is given, else
 * GITHUB_TOKEN; logins map to emails from the secret's `login_emails` and SEATMETER_GITHUB_LOGIN_EMAILS (the
 * variable wins per login). Repositories without a token is an error that says what to set.
 */
export async function gitHubSettings(inputs: GitHubInputs): Promise<GitHubSettings | null> {
  let secret: GitHubSecret | null = null;
  try {
    const found = await configuredSecret(inputs, 'GitHub');
    if (found !== null) secret = parseGitHubSecret(found.value, found.id);
  } catch (error) {
    // The stack creates the secret empty: unfilled means feature attribution is not set up yet.
    if (!(error instanceof SecretNotFilledError)) throw error;
  }
  const envRepos = envValue(inputs.env, 'SEATMETER_GITHUB_REPOS');
  const [reposText, reposSource] =
    inputs.repos !== undefined ? [inputs.repos, '--repos'] : envRepos !== null ? [envRepos, 'SEATMETER_GITHUB_REPOS'] : [secret?.repos ?? null, 'the GitHub secret\'s "repos"'];
  if (reposText === null) return null;
  const repos = parseRepos(reposText, reposSource);
  const token = secret?.token ?? envValue(inputs.env, 'GITHUB_TOKEN');
  if (token === null) throw new PartnerConfigError('no GitHub token: set GITHUB_TOKEN or give the rollup the id of a GitHub secret');
  const envLogins = envValue(inputs.env, 'SEATMETER_GITHUB_LOGIN_EMAILS');
  const loginEmails = new Map([...(secret?.loginEmails ?? []), ...(envLogins === null ? [] : parseLoginEmails(envLogins, 'SEATMETER_GITHUB_LOGIN_EMAILS'))]);
  const baseUrl = envValue(inputs.env, 'GITHUB_API_URL');
  return { baseUrl: baseUrl === null ? GITHUB_API_URL : credentialSafeUrl(baseUrl, 'GITHUB_API_URL').href.replace(/\/$/, ''), token, repos, loginEmails };
}
