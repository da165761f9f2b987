import type { TeamDirectory, TeamGroupRule, TeamSource } from './sources.ts';

/** The team of everyone in no selected group, and of usage without an identity. */
export const UNASSIGNED = 'unassigned';

/** The one spelling an email is joined by across telemetry, the directory and the Analytics API. */
export function normalizeEmail(email: string | null): string | null {
  const normalized = email?.trim().toLowerCase() ?? '';
  return normalized === '' ? null : normalized;
}

/** The groups the rule selects, in attribution order: the list's own order, or alphabetical for a prefix. */
export function teamGroupsInOrder(rule: TeamGroupRule, groups: Iterable<string>): string[] {
  const names = new Set(groups);
  if (rule.kind === 'list') return rule.names.filter((name, index) => names.has(name) && rule.names.indexOf(name) === index);
  return [...names].filter((name) => name.startsWith(rule.prefix)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Each person's one team: the first selected group they are in, so that a sum over teams equals the sum over
 * people. Groups the rule does not select are ignored even if the directory returned them.
 */
export class TeamAssignment {
  readonly #teams: ReadonlyMap<string, string>;

  private constructor(teams: ReadonlyMap<string, string>) {
    this.#teams = teams;
  }

  static resolve(rule: TeamGroupRule, members: ReadonlyMap<string, readonly string[]>): TeamAssignment {
    const teams = new Map<string, string>();
    for (const group of teamGroupsInOrder(rule, members.keys())) {
      for (const member of members.get(group) ?? []) {
        const email = normalizeEmail(member);
        if (email !== null && !teams.has(email)) teams.set(email, group);
      }
    }
    return new TeamAssignment(teams);
  }

  /** No directory: every person is `unassigned`. */
  static nobody(): TeamAssignment {
    return new TeamAssignment(new Map());
  }

  teamOf(email: string | null): string {
    const normalized = normalizeEmail(email);
    return (normalized === null ? undefined : this.#teams.get(normalized)) ?? UNASSIGNED;
  }

  /**
   * The published map, email → team, keys sorted so the same directory gives the same bytes. Membership is
   * the directory's as of the run: the identity provider keeps no history, so a re-run of an old day
   * attributes it with today's teams.
   */
  toJson(): string {
    const users = Object.fromEntries([...this.#teams].sort(([a], [b]) => (a < b ? -1 : 1)));
    return `${JSON.stringify({ version: 1, unassigned: UNASSIGNED, users }, null, 2)}\n`;
  }
}

/** The teams a fixed rule selects from a directory. */
export function teamsOf(rule: TeamGroupRule, directory: TeamDirectory): TeamSource {
  return { selectedTeams: async () => ({ rule, members: await directory.teamMembers(rule) }) };
}
