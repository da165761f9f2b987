import { describe, expect, it } from 'vitest';
import { TeamAssignment, UNASSIGNED, normalizeEmail, teamGroupsInOrder } from '../../lambdas/rollup/teams.ts';

const MEMBERS = new Map<string, readonly string[]>([
  ['team-web', ['ana@example.com', ' Both@Example.com ']],
  ['team-api', ['both@example.com', 'bo@example.com']],
  ['all-staff', ['ana@example.com', 'carl@example.com']],
]);

describe('team attribution', () => {
  it('gives a person in two listed groups the first in the list, and everyone else unassigned', () => {
    const teams = TeamAssignment.resolve({ kind: 'list', names: ['team-api', 'team-web'] }, MEMBERS);
    expect(['ana@example.com', 'BOTH@example.com', 'bo@example.com', 'carl@example.com', null].map((email) => teams.teamOf(email))).toEqual([
      'team-web',
      'team-api',
      'team-api',
      UNASSIGNED,
      UNASSIGNED,
    ]);
  });

  it('orders a prefix rule alphabetically and ignores groups outside the rule', () => {
    const teams = TeamAssignment.resolve({ kind: 'prefix', prefix: 'team-' }, MEMBERS);
    expect([teams.teamOf('both@example.com'), teams.teamOf('carl@example.com')]).toEqual(['team-api', UNASSIGNED]);
    expect(teamGroupsInOrder({ kind: 'prefix', prefix: 'team-' }, MEMBERS.keys())).toEqual(['team-api', 'team-web']);
  });

  it('keeps the list order, names each group once and skips listed groups the directory lacks', () => {
    expect(teamGroupsInOrder({ kind: 'list', names: ['team-web', 'ghosts', 'team-api', 'team-web'] }, MEMBERS.keys())).toEqual(['team-web', 'team-api']);
  });

  it('publishes the map sorted by email, the same bytes whatever order the directory listed members in', () => {
    const reversed = new Map([...MEMBERS].map(([group, members]) => [group, [...members].reverse()]));
    const rule = { kind: 'list', names: ['team-web', 'team-api'] } as const;
    const json = TeamAssignment.resolve(rule, MEMBERS).toJson();
    expect(TeamAssignment.resolve(rule, reversed).toJson()).toBe(json);
    expect(JSON.parse(json)).toEqual({
      version: 1,
      unassigned: UNASSIGNED,
      users: { 'ana@example.com': 'team-web', 'bo@example.com': 'team-api', 'both@example.com': 'team-web' },
    });
  });

  it.each([
    [' Dev@Example.COM ', 'dev@example.com'],
    ['', null],
    ['   ', null],
    [null, null],
  ])('normalizes %j to %j', (email, normalized) => {
    expect(normalizeEmail(email)).toBe(normalized);
  });
});
