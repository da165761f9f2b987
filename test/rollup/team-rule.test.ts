import { describe, expect, it } from 'vitest';
import { PartnerConfigError } from '../../lambdas/rollup/partner-errors.ts';
import { parseTeamGroupRule } from '../../lambdas/rollup/team-rule.ts';

describe('parseTeamGroupRule', () => {
  it('reads a prefix rule', () => {
    expect(parseTeamGroupRule(' prefix:team- ', '--team-groups')).toEqual({ kind: 'prefix', prefix: 'team-' });
  });

  it('reads a list of names in order, trimming each', () => {
    expect(parseTeamGroupRule('payments, Platform Eng ,data', 'SEATMETER_TEAM_GROUPS')).toEqual({ kind: 'list', names: ['payments', 'Platform Eng', 'data'] });
    expect(parseTeamGroupRule('payments', 'SEATMETER_TEAM_GROUPS')).toEqual({ kind: 'list', names: ['payments'] });
  });

  it.each([
    ['', '--team-groups is empty; use prefix:<start of the group names> or a comma-separated list of group names'],
    ['  ', '--team-groups is empty'],
    ['prefix:', '--team-groups: "prefix:" needs the start of the group names after it'],
    ['prefix:a-,b-', '--team-groups: a prefix rule takes one prefix, got "a-,b-"'],
    ['payments,,data', '--team-groups: group name 2 of 3 is empty in "payments,,data"'],
    ['payments,', '--team-groups: group name 2 of 2 is empty'],
    ['payments,data,payments', '--team-groups: group "payments" is listed twice'],
    ['payments,unassigned', '--team-groups: "unassigned" is the team of users in no group and cannot be a group name'],
  ])('refuses "%s"', (text, message) => {
    expect(() => parseTeamGroupRule(text, '--team-groups')).toThrow(PartnerConfigError);
    expect(() => parseTeamGroupRule(text, '--team-groups')).toThrow(message);
  });
});
