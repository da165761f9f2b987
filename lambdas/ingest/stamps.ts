import type { TeamMap } from '../budgets/team-map.ts';
import type { CanonicalRecord } from '../records/types.ts';

/**
 * A bound credential is stronger evidence than a payload attribute anyone can set, and rejecting the
 * export would lose real usage: so the credential's user wins, and the overrides are counted and reported.
 */
export function stampIdentity(records: CanonicalRecord[], userEmail: string): number {
  let overridden = 0;
  for (let i = 0; i < records.length; i += 1) {
    const record = records[i] as CanonicalRecord;
    if (record.user_email !== null && record.user_email !== userEmail) overridden += 1;
    records[i] = { ...record, user_email: userEmail };
  }
  return overridden;
}

/**
 * Team budgets need the team on spend as it arrives, not the next morning: each record gets its user's team
 * from the current map (`unassigned` for a user in none; null without an identity). A record's id does not
 * depend on it, so a replay after the map changed is still the duplicate it is.
 */
export function stampTeams(records: CanonicalRecord[], teams: TeamMap): void {
  for (let i = 0; i < records.length; i += 1) {
    const record = records[i] as CanonicalRecord;
    records[i] = { ...record, team: teams.teamOf(record.user_email) };
  }
}
