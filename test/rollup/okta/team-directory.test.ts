import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { OktaCredentials } from '../../../lambdas/rollup/okta/credentials.ts';
import { PartnerConfigError } from '../../../lambdas/rollup/partner-errors.ts';
import { OktaTeamDirectory } from '../../../lambdas/rollup/okta/team-directory.ts';
import type { TeamGroupRule } from '../../../lambdas/rollup/sources.ts';
import { manualClock } from '../../support/fake-partner-server.ts';
import { partnerFailure } from '../../support/partner-failure.ts';
import type { ManualClock } from '../../support/fake-partner-server.ts';
import { serviceAppKeys, startFakeOkta } from '../../support/fake-okta.ts';
import type { FakeOkta, FakeOktaGroup } from '../../support/fake-okta.ts';

const API_TOKEN = '00aFakeSswsTokenForTests';
const CLIENT_ID = '0oa1fakeserviceapp';
const START = Date.parse('2026-11-04T02:00:00Z');
const PREFIX: TeamGroupRule = { kind: 'prefix', prefix: 'team-' };

const GROUPS: readonly FakeOktaGroup[] = [
  {
    name: 'team-payments',
    members: [
      'Ada.Lovelace@Example.com',
      'grace@example.com',
      'carol@example.com',
      { email: null, login: 'Login.Only@Example.com' },
      { email: 'locked@example.com', status: 'LOCKED_OUT' },
      { email: 'staged@example.com', status: 'STAGED' },
    ],
  },
  {
    name: 'team-data',
    members: [
      'grace@example.com',
      { email: 'suspended@example.com', status: 'SUSPENDED' },
      { email: 'gone@example.com', status: 'DEPROVISIONED' },
      { email: null, login: 'no-address-login' },
      { email: '  Spaced@Example.com ', login: 'spaced' },
    ],
  },
  { name: 'Team-Upper', members: ['upper@example.com'] },
  { name: 'everyone', members: ['nobody-in-a-team@example.com', 'grace@example.com'] },
  { name: 'team-empty', members: [] },
];

const PAYMENTS = ['ada.lovelace@example.com', 'carol@example.com', 'grace@example.com', 'locked@example.com', 'login.only@example.com'];
const DATA = ['grace@example.com', 'spaced@example.com', 'suspended@example.com'];

let okta: FakeOkta;
let clock: ManualClock;

async function start(options: { groups?: readonly FakeOktaGroup[]; tokenLifetimeSeconds?: number } = {}): Promise<void> {
  clock = manualClock(START);
  okta = await startFakeOkta({
    groups: options.groups ?? GROUPS,
    apiToken: API_TOKEN,
    serviceApp: { clientId: CLIENT_ID, publicKey: serviceAppKeys().publicKey },
    pageSize: 2,
    now: clock.now,
    ...(options.tokenLifetimeSeconds === undefined ? {} : { tokenLifetimeSeconds: options.tokenLifetimeSeconds }),
  });
}

const ssws = (apiToken = API_TOKEN): OktaCredentials => ({ kind: 'ssws', apiToken });
const oauth = (privateKeyPem = serviceAppKeys().privateKeyPem): OktaCredentials => ({ kind: 'oauth', clientId: CLIENT_ID, privateKey: createPrivateKey(privateKeyPem) });

function directory(credentials: OktaCredentials = ssws(), options: { maxAttempts?: number; concurrency?: number } = {}): OktaTeamDirectory {
  return new OktaTeamDirectory(
    { orgUrl: okta.url, credentials },
    {
      retry: { now: clock.now, sleep: clock.sleep, random: clock.random, ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }) },
      ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    },
  );
}

afterEach(async () => {
  await okta.close();
});

describe('OktaTeamDirectory with a prefix rule', () => {
  it('keeps the groups whose name starts with the prefix, case included, in name order, with their members\' emails', async () => {
    await start();
    const teams = await directory().teamMembers(PREFIX);

    expect([...teams]).toEqual([
      ['team-data', DATA],
      ['team-empty', []],
      ['team-payments', PAYMENTS],
    ]);
  });

  it('searches by name start with paging, and reads every page of groups and members', async () => {
    await start();
    await directory().teamMembers(PREFIX);

    expect(okta.searches).toEqual(['profile.name sw "team-"']);
    // 4 groups match Okta's case-insensitive search: 2 pages. Members: 3 + 1 (an empty list is one page) + 3 pages.
    expect(okta.calls).toEqual({ groups: 2, members: 7, token: 0 });
  });

  it('refuses two groups of the same name, which would make a team ambiguous', async () => {
    await start({ groups: [...GROUPS, { name: 'team-data', members: [] }] });
    expect((await partnerFailure(directory().teamMembers(PREFIX))).message).toMatch(/^Okta: two groups are named "team-data" \(ids 00g\d+ and 00g\d+\); rename one/);
  });
});

describe('OktaTeamDirectory with named groups', () => {
  it('looks each name up exactly and keeps the list\'s order', async () => {
    await start();
    const teams = await directory().teamMembers({ kind: 'list', names: ['team-payments', 'team-data'] });

    expect([...teams]).toEqual([
      ['team-payments', PAYMENTS],
      ['team-data', DATA],
    ]);
    expect(okta.searches).toEqual(['profile.name eq "team-payments"', 'profile.name eq "team-data"']);
  });

  it('escapes quotes in a name for the search', async () => {
    await start({ groups: [{ name: 'R&D "core"', members: ['rd@example.com'] }] });
    expect([...(await directory().teamMembers({ kind: 'list', names: ['R&D "core"'] }))]).toEqual([['R&D "core"', ['rd@example.com']]]);
    expect(okta.searches).toEqual(['profile.name eq "R&D \\"core\\""']);
  });

  it('names every group that does not exist, a different case counting as different', async () => {
    await start();
    const error = await partnerFailure(directory().teamMembers({ kind: 'list', names: ['team-data', 'TEAM-PAYMENTS', 'team-ghosts'] }));
    expect(error.message).toBe('Okta: no group named "TEAM-PAYMENTS", "team-ghosts" (names match exactly, case included)');
    expect(okta.calls.members).toBe(0);
  });
});

describe('OktaTeamDirectory when Okta throttles or fails', () => {
  it('waits until X-Rate-Limit-Reset on a 429, then carries on', async () => {
    await start();
    okta.rateLimitNext('members', 30);

    expect([...(await directory(ssws(), { concurrency: 1 }).teamMembers(PREFIX))].map(([name]) => name)).toEqual(['team-data', 'team-empty', 'team-payments']);
    expect(clock.sleeps).toEqual([30_000]);
    expect(okta.calls.members).toBe(8);
  });

  it('backs off after a 500 and carries on', async () => {
    await start();
    okta.failNext('groups', { status: 500 });

    expect((await directory().teamMembers(PREFIX)).get('team-payments')).toEqual(PAYMENTS);
    expect(clock.sleeps).toEqual([750]);
  });

  it('fails once the attempts are spent', async () => {
    await start();
    okta.failNext('groups', { status: 502 }, { status: 503 });
    const error = await partnerFailure(directory(ssws(), { maxAttempts: 2 }).teamMembers(PREFIX));
    expect(error.message).toBe('Okta: GET /api/v1/groups still failing after 2 attempts (last: HTTP 503)');
  });

  it('fails at once when the rate-limit reset is further away than the run allows', async () => {
    await start();
    okta.rateLimitNext('groups', 3600);
    expect((await partnerFailure(directory().teamMembers(PREFIX))).message).toBe('Okta: GET /api/v1/groups answered HTTP 429 and asked to wait 3600 s, more than the 90 s this run allows');
  });

  it('says the credentials were rejected on a 401, without retrying', async () => {
    await start();
    const error = await partnerFailure(directory(ssws('00aRevokedToken')).teamMembers(PREFIX));
    expect(error.message).toBe('Okta: credentials rejected (HTTP 401): E0000011: Invalid token provided');
    expect(okta.calls.groups).toBe(1);
  });

  it.each([
    [403, 'Okta: not allowed to read groups and users (HTTP 403; the token needs okta.groups.read okta.users.read and a read-only admin role): E0000006: You do not have permission to perform the requested action'],
    [404, 'Okta: GET /api/v1/groups/{id}/users of "team-data" answered HTTP 404: E0000007: Not found: Resource not found'],
  ])('fails at once on HTTP %i', async (status, message) => {
    await start();
    okta.failNext('members', { status });
    // One member list at a time, so the first one read is surely team-data's.
    expect((await partnerFailure(directory(ssws(), { concurrency: 1 }).teamMembers(PREFIX))).message).toBe(message);
  });

  it.each([
    ['groups', '{"id":"00g1"}', 'GET /api/v1/groups answer: body: expected an array'],
    ['groups', '[{"id":"00g1","profile":{}}]', 'GET /api/v1/groups answer: [0].profile.name: expected a non-empty string, got nothing'],
    ['groups', 'Service Unavailable', 'GET /api/v1/groups answer: body is not JSON'],
    ['members', '[{"id":"00u1","status":"ARCHIVED","profile":{"login":"a@b.c"}}]', 'GET /api/v1/groups/{id}/users of "team-data" answer: [0].status: expected one of STAGED, PROVISIONED, ACTIVE'],
    ['members', '[{"id":"00u1","status":"ACTIVE","profile":{"email":"a@b.c"}}]', 'GET /api/v1/groups/{id}/users of "team-data" answer: [0].profile.login: expected a non-empty string, got nothing'],
    ['members', '[{"id":"00u1","status":"ACTIVE","profile":{"login":"a@b.c","email":42}}]', 'GET /api/v1/groups/{id}/users of "team-data" answer: [0].profile.email: expected a string or nothing, got 42'],
    ['members', '[{"id":"00u1","status":"ACTIVE"}]', 'GET /api/v1/groups/{id}/users of "team-data" answer: [0].profile: expected an object, got nothing'],
  ] as const)('refuses a %s body that is not the documented shape: %s', async (route, body, message) => {
    await start();
    okta.failNext(route, { status: 200, body });
    expect((await partnerFailure(directory(ssws(), { concurrency: 1 }).teamMembers(PREFIX))).message).toContain(`Okta: unexpected ${message}`);
  });

  it('stops when a next link leads back to a page already read', async () => {
    await start();
    const loop = { status: 200, headers: { link: `<${okta.url}/api/v1/groups?after=00gLoop&limit=200>; rel="next"` }, body: '[]' };
    okta.failNext('groups', loop, loop);
    expect((await partnerFailure(directory().teamMembers(PREFIX))).message).toBe('Okta: GET /api/v1/groups links back to a page already read; stopped a pagination loop');
    expect(okta.calls.groups).toBe(2);
  });

  it('never follows a next link to another host', async () => {
    await start();
    okta.failNext('groups', { status: 200, headers: { link: '<https://evil.example/api/v1/groups?after=x>; rel="next"' }, body: '[]' });
    expect((await partnerFailure(directory().teamMembers(PREFIX))).message).toBe('Okta: GET /api/v1/groups gave a next link to another host (https://evil.example); refused to send credentials there');
    expect(okta.calls.groups).toBe(1);
  });
});

describe('OktaTeamDirectory options', () => {
  it.each([0, 1.5])('refuses a concurrency of %s, which would read nothing or break the pool', async (concurrency) => {
    await start();
    expect(() => directory(ssws(), { concurrency })).toThrow(new PartnerConfigError(`Okta concurrency must be a positive integer, got ${concurrency}`));
  });
});

describe('OktaTeamDirectory with an OAuth service app', () => {
  it('signs in with a private_key_jwt assertion once and shares the token across parallel reads', async () => {
    await start();
    // Named groups are looked up in parallel, so both lookups ask for a token at the same moment.
    const teams = await directory(oauth()).teamMembers({ kind: 'list', names: ['team-payments', 'team-data'] });

    expect(teams.get('team-payments')).toEqual(PAYMENTS);
    expect(okta.calls.token).toBe(1);
  });

  it('fetches a new token shortly before the old one expires', async () => {
    await start({ tokenLifetimeSeconds: 900 });
    const reader = directory(oauth());
    await reader.teamMembers(PREFIX);
    clock.advance(9 * 60_000);
    await reader.teamMembers(PREFIX);
    expect(okta.calls.token).toBe(1);
    clock.advance(60_000);
    await reader.teamMembers(PREFIX);
    expect(okta.calls.token).toBe(2);
  });

  it('retries a throttled token request with a fresh assertion', async () => {
    await start();
    okta.rateLimitNext('token', 5);
    expect((await directory(oauth()).teamMembers(PREFIX)).size).toBe(3);
    expect(clock.sleeps).toEqual([5000]);
    expect(okta.calls.token).toBe(2);
  });

  it('says the token endpoint refused the app when the key is not the registered one', async () => {
    await start();
    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const error = await partnerFailure(directory(oauth(otherKey)).teamMembers(PREFIX));
    expect(error.message).toBe(`Okta: the token endpoint refused the service app "${CLIENT_ID}" (HTTP 401): invalid_client: The client_assertion signature is invalid.`);
    expect(okta.calls.groups).toBe(0);
  });

  it.each([
    ['{"token_type":"DPoP","expires_in":3600,"access_token":"x"}', 'token_type: expected Bearer, got "DPoP" (turn off "Require DPoP" on the service app'],
    ['{"token_type":"Bearer","access_token":"x"}', 'expires_in: expected a non-negative integer, got nothing'],
    ['{"token_type":"Bearer","expires_in":3600}', 'access_token: expected a non-empty string, got nothing'],
  ])('refuses a token answer that cannot be used: %s', async (body, message) => {
    await start();
    okta.failNext('token', { status: 200, body });
    expect((await partnerFailure(directory(oauth()).teamMembers(PREFIX))).message).toContain(`Okta: unexpected POST /oauth2/v1/token answer: ${message}`);
  });
});
