import { PartnerConfigError } from './partner-errors.ts';
import type { TeamGroupRule } from './sources.ts';

/** The team of users in no team group; a group of that name would merge two different things. */
export const UNASSIGNED_TEAM = 'unassigned';

const PREFIX = 'prefix:';
const USAGE = 'use prefix:<start of the group names> or a comma-separated list of group names';

/**
 * Reads the team rule as `--team-groups` / `SEATMETER_TEAM_GROUPS` give it: `prefix:team-` selects every group
 * whose name starts with `team-`; `payments,platform` selects those groups, the first listed winning for a
 * user in several. `source` names where the text came from, for errors.
 */
export function parseTeamGroupRule(text: string, source: string): TeamGroupRule {
  const rule = text.trim();
  if (rule === '') throw new PartnerConfigError(`${source} is empty; ${USAGE}`);
  if (rule.startsWith(PREFIX)) {
    const prefix = rule.slice(PREFIX.length).trim();
    if (prefix === '') throw new PartnerConfigError(`${source}: "${PREFIX}" needs the start of the group names after it (an empty prefix would make every group a team)`);
    if (prefix.includes(',')) throw new PartnerConfigError(`${source}: a prefix rule takes one prefix, got "${prefix}"; ${USAGE}`);
    return { kind: 'prefix', prefix };
  }
  const names = rule.split(',').map((name) => name.trim());
  const seen = new Set<string>();
  names.forEach((name, index) => {
    if (name === '') throw new PartnerConfigError(`${source}: group name ${index + 1} of ${names.length} is empty in "${rule}"; ${USAGE}`);
    if (seen.has(name)) throw new PartnerConfigError(`${source}: group "${name}" is listed twice`);
    if (name === UNASSIGNED_TEAM) throw new PartnerConfigError(`${source}: "${UNASSIGNED_TEAM}" is the team of users in no group and cannot be a group name`);
    seen.add(name);
  });
  return { kind: 'list', names };
}
