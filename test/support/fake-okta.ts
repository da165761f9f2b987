import { generateKeyPairSync, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { httpDate, startFakePartner } from './fake-partner-server.ts';
import type { FakeAnswer, FakeRequest, RunningFake } from './fake-partner-server.ts';

/**
 * A fake Okta org behaving like the documented Management API: `GET /api/v1/groups` with `search`
 * (`profile.name sw|eq "…"`, case-insensitive as Okta matches), `GET /api/v1/groups/{id}/users`, both paged with
 * `after` cursors and `Link: <…>; rel="next"`; `X-Rate-Limit-*` headers on every answer; SSWS tokens; and the
 * org authorization server's `POST /oauth2/v1/token` for a service app, which verifies the `private_key_jwt`
 * assertion (RS256 signature with the app's public key, iss = sub = client id, aud, exp ≤ 1 h after iat,
 * unused jti) before issuing a bearer token.
 *
 *   const okta = await startFakeOkta({ apiToken: 'ssws-test', pageSize: 2, groups: [
 *     { name: 'team-payments', members: ['Ada@Example.com', { login: 'bob@example.com', status: 'SUSPENDED' }] },
 *   ] });
 *   okta.rateLimitNext('members', 30); okta.failNext('groups', { status: 500 });
 *   … okta.url as OKTA_ORG_URL; okta.calls.members; okta.searches …
 *   await okta.close();
 */

export type FakeOktaRoute = 'groups' | 'members' | 'token';

export interface FakeOktaUser {
  /** null: the profile has no email at all. @default the login */
  readonly email?: string | null;
  /** @default the email */
  readonly login?: string;
  /** @default ACTIVE */
  readonly status?: string;
}

/** A string is an ACTIVE user with that email and login. The same login in several groups is the same user. */
export type FakeOktaMember = string | FakeOktaUser;

export interface FakeOktaGroup {
  readonly name: string;
  readonly members: readonly FakeOktaMember[];
}

export interface FakeOktaOptions {
  readonly groups: readonly FakeOktaGroup[];
  /** Accepted as `Authorization: SSWS <apiToken>`. */
  readonly apiToken?: string;
  /** Enables the token endpoint for this service app. */
  readonly serviceApp?: { readonly clientId: string; readonly publicKey: KeyObject };
  /** Items per page at most, whatever `limit` asks. @default 200 */
  readonly pageSize?: number;
  /** The org's clock: `Date` and rate-limit headers, token and assertion expiry. @default Date.now */
  readonly now?: () => number;
  /** @default 3600 */
  readonly tokenLifetimeSeconds?: number;
}

export interface FakeOkta extends RunningFake<FakeOktaRoute> {
  /** Queues a 429 on `route` whose `X-Rate-Limit-Reset` is `resetInSeconds` after the org's clock. */
  rateLimitNext(route: FakeOktaRoute, resetInSeconds: number): void;
  /** The `search` expression of every group list started (first pages only), in order. */
  readonly searches: readonly string[];
}

let keys: { readonly privateKeyPem: string; readonly publicKey: KeyObject } | null = null;

/** An RSA key pair for a test service app: the private key as the Okta secret holds it, the public one for the fake. Made once per test file. */
export function serviceAppKeys(): { readonly privateKeyPem: string; readonly publicKey: KeyObject } {
  if (keys === null) {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    keys = { privateKeyPem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKey: pair.publicKey };
  }
  return keys;
}

const REQUIRED_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const GRANTABLE_SCOPES = new Set(['okta.groups.read', 'okta.users.read']);

interface StoredUser {
  readonly id: string;
  readonly status: string;
  readonly profile: { readonly login: string; readonly email?: string };
}

interface StoredGroup {
  readonly id: string;
  readonly name: string;
  readonly members: readonly StoredUser[];
}

function apiError(status: number, code: string, summary: string): FakeAnswer {
  return { status, body: JSON.stringify({ errorCode: code, errorSummary: summary, errorLink: code, errorId: 'oae-fake', errorCauses: [] }) };
}

function oauthError(status: number, error: string, description: string): FakeAnswer {
  return { status, body: JSON.stringify({ error, error_description: description }) };
}

const ERRORS: Readonly<Record<number, readonly [string, string]>> = {
  401: ['E0000011', 'Invalid token provided'],
  403: ['E0000006', 'You do not have permission to perform the requested action'],
  404: ['E0000007', 'Not found: Resource not found'],
  429: ['E0000047', 'API call exceeded rate limit due to too many requests.'],
};

function errorBody(status: number): string {
  const [code, summary] = ERRORS[status] ?? ['E0000009', 'Internal Server Error'];
  return apiError(status, code, summary).body;
}

/** `profile.name sw "…"` or `profile.name eq "…"`, the only searches the fake knows; null for anything else. */
function parseSearch(search: string): ((name: string) => boolean) | null {
  const match = /^profile\.name (sw|eq) "((?:[^"\\]|\\.)*)"$/.exec(search);
  if (match === null) return null;
  const value = (match[2] ?? '').replace(/\\(.)/g, '$1').toLowerCase();
  return match[1] === 'sw' ? (name) => name.toLowerCase().startsWith(value) : (name) => name.toLowerCase() === value;
}

function decodeJson(part: string | undefined): Record<string, unknown> | null {
  try {
    const json: unknown = JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8'));
    return typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export async function startFakeOkta(options: FakeOktaOptions): Promise<FakeOkta> {
  const now = options.now ?? Date.now;
  const maxPage = options.pageSize ?? 200;
  const users = new Map<string, StoredUser>();
  const userOf = (member: FakeOktaMember): StoredUser => {
    const spec = typeof member === 'string' ? { email: member } : member;
    const login = spec.login ?? spec.email ?? '';
    const existing = users.get(login);
    if (existing !== undefined) return existing;
    const email = spec.email === undefined ? login : spec.email;
    const user: StoredUser = { id: `00u${String(users.size + 1).padStart(17, '0')}`, status: spec.status ?? 'ACTIVE', profile: email === null ? { login } : { login, email } };
    users.set(login, user);
    return user;
  };
  const groups: StoredGroup[] = options.groups.map((group, index) => ({ id: `00g${String(index + 1).padStart(17, '0')}`, name: group.name, members: group.members.map(userOf) }));
  const groupsById = new Map(groups.map((group) => [group.id, group]));
  const accessTokens = new Map<string, number>();
  const usedJtis = new Set<string>();
  const searches: string[] = [];
  let baseUrl = '';

  const authorized = (request: FakeRequest): boolean => {
    const header = request.headers.authorization ?? '';
    if (options.apiToken !== undefined && header === `SSWS ${options.apiToken}`) return true;
    const expiry = header.startsWith('Bearer ') ? accessTokens.get(header.slice(7)) : undefined;
    return expiry !== undefined && now() < expiry;
  };

  /** One page after the `after` cursor (the id of the last item of the previous page), with Okta's Link headers. */
  function page<T extends { readonly id: string }>(request: FakeRequest, items: readonly T[], render: (item: T) => unknown): FakeAnswer {
    const limit = Number(request.url.searchParams.get('limit') ?? String(maxPage));
    if (!Number.isInteger(limit) || limit < 1) return apiError(400, 'E0000001', 'Api validation failed: limit');
    const after = request.url.searchParams.get('after');
    const start = after === null ? 0 : items.findIndex((item) => item.id === after) + 1;
    if (after !== null && start === 0) return apiError(400, 'E0000001', 'Api validation failed: after');
    const slice = items.slice(start, start + Math.min(limit, maxPage));
    const self = new URL(request.url.pathname + request.url.search, baseUrl);
    const links = [`<${self.href}>; rel="self"`];
    const last = slice.at(-1);
    if (last !== undefined && start + slice.length < items.length) {
      const next = new URL(self);
      next.searchParams.set('after', last.id);
      links.push(`<${next.href}>; rel="next"`);
    }
    return { status: 200, headers: { link: links.join(', ') }, body: JSON.stringify(slice.map(render)) };
  }

  function listGroups(request: FakeRequest): FakeAnswer {
    if (!authorized(request)) return apiError(401, 'E0000011', 'Invalid token provided');
    const search = request.url.searchParams.get('search');
    let matches: (name: string) => boolean = () => true;
    if (search !== null) {
      if (!request.url.searchParams.has('after')) searches.push(search);
      const parsed = parseSearch(search);
      if (parsed === null) return apiError(400, 'E0000031', 'Invalid search.');
      matches = parsed;
    }
    const selected = groups.filter((group) => matches(group.name));
    return page(request, selected, (group) => ({ id: group.id, type: 'OKTA_GROUP', objectClass: ['okta:user_group'], profile: { name: group.name, description: null }, _links: {} }));
  }

  function listMembers(request: FakeRequest): FakeAnswer {
    if (!authorized(request)) return apiError(401, 'E0000011', 'Invalid token provided');
    const id = decodeURIComponent(request.url.pathname.split('/')[4] ?? '');
    const group = groupsById.get(id);
    if (group === undefined) return apiError(404, 'E0000007', `Not found: Resource not found: ${id} (UserGroup)`);
    return page(request, group.members, (user) => ({ id: user.id, status: user.status, created: '2026-01-05T09:00:00.000Z', profile: { firstName: 'Fake', lastName: 'User', ...user.profile }, _links: {} }));
  }

  function verifyAssertion(assertion: string): string | null {
    const app = options.serviceApp;
    if (app === undefined) return 'The client_id provided was invalid.';
    const parts = assertion.split('.');
    const header = decodeJson(parts[0]);
    const claims = decodeJson(parts[1]);
    if (parts.length !== 3 || header === null || claims === null) return 'The client_assertion is not a JWT.';
    if (header.alg !== 'RS256') return 'The client_assertion signature algorithm is not supported.';
    if (!verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), app.publicKey, Buffer.from(parts[2] ?? '', 'base64url'))) return 'The client_assertion signature is invalid.';
    if (claims.iss !== app.clientId || claims.sub !== app.clientId) return 'The iss and sub claims must be the client_id.';
    if (claims.aud !== `${baseUrl}/oauth2/v1/token`) return 'The audience claim for client_assertion must be the endpoint invoked for the request.';
    const nowS = Math.floor(now() / 1000);
    if (typeof claims.exp !== 'number' || typeof claims.iat !== 'number' || claims.exp <= nowS) return 'The client_assertion token is expired.';
    if (claims.exp - claims.iat > 3600) return 'The client_assertion token has an expiration too far into the future.';
    if (typeof claims.jti !== 'string' || usedJtis.has(claims.jti)) return 'The client_assertion token has already been used (jti).';
    usedJtis.add(claims.jti);
    return null;
  }

  function token(request: FakeRequest): FakeAnswer {
    const form = new URLSearchParams(request.body);
    if (form.get('grant_type') !== 'client_credentials') return oauthError(400, 'unsupported_grant_type', 'The authorization grant type is not supported.');
    if (form.get('client_assertion_type') !== REQUIRED_ASSERTION_TYPE) return oauthError(400, 'invalid_request', 'The client_assertion_type is invalid.');
    const scopes = (form.get('scope') ?? '').split(' ').filter((scope) => scope !== '');
    if (scopes.length === 0 || !scopes.every((scope) => GRANTABLE_SCOPES.has(scope))) return oauthError(400, 'invalid_scope', 'One or more scopes are not configured for the authorization server resource.');
    const problem = verifyAssertion(form.get('client_assertion') ?? '');
    if (problem !== null) return oauthError(401, 'invalid_client', problem);
    const lifetime = options.tokenLifetimeSeconds ?? 3600;
    const accessToken = `fake-at-${accessTokens.size + 1}`;
    accessTokens.set(accessToken, now() + lifetime * 1000);
    return { status: 200, body: JSON.stringify({ token_type: 'Bearer', expires_in: lifetime, access_token: accessToken, scope: scopes.join(' ') }) };
  }

  const resetAt = (inSeconds: number) => String(Math.floor(now() / 1000) + inSeconds);
  const fake = await startFakePartner<FakeOktaRoute>({
    routes: ['groups', 'members', 'token'],
    routeOf: (request) => {
      const path = request.url.pathname;
      if (request.method === 'POST' && path === '/oauth2/v1/token') return 'token';
      if (request.method !== 'GET') return null;
      if (path === '/api/v1/groups') return 'groups';
      return /^\/api\/v1\/groups\/[^/]+\/users$/.test(path) ? 'members' : null;
    },
    answer: (route, request) => (route === 'token' ? token(request) : route === 'groups' ? listGroups(request) : listMembers(request)),
    errorBody,
    commonHeaders: () => ({ date: httpDate(now()), 'x-rate-limit-limit': '600', 'x-rate-limit-remaining': '599', 'x-rate-limit-reset': resetAt(60) }),
  });
  baseUrl = fake.url;
  return {
    ...fake,
    searches,
    rateLimitNext: (route, resetInSeconds) =>
      fake.failNext(route, { status: 429, headers: { 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': resetAt(resetInSeconds) } }),
  };
}
