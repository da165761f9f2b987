/**
 * In-memory implementations of the rollup's ports over seed data, for tests and the benchmark. Each keeps
 * its port's contract: a failure throws, and the directory returns only the groups the rule selects.
 */
import type { PullRequestWork } from '../../lambdas/features/session-features.ts';
import type { RollupFile, RollupOutput } from '../../lambdas/rollup/output/types.ts';
import type { AnalyticsActorDay, ClaudeCodeAnalyticsSource, PullRequestSource, TeamDirectory, TeamGroupRule } from '../../lambdas/rollup/sources.ts';
import type { DayUsage, DayUsageSource } from '../../lambdas/rollup/types.ts';

export class InMemoryAnalyticsSource implements ClaudeCodeAnalyticsSource {
  readonly asked: string[] = [];
  readonly #days: ReadonlyMap<string, readonly AnalyticsActorDay[]>;
  /** Set to make every call fail, as an unreachable API does. */
  failure: Error | null = null;

  constructor(actorDays: readonly AnalyticsActorDay[]) {
    const days = new Map<string, AnalyticsActorDay[]>();
    for (const actorDay of actorDays) days.set(actorDay.day, [...(days.get(actorDay.day) ?? []), actorDay]);
    this.#days = days;
  }

  async actorDays(day: string): Promise<readonly AnalyticsActorDay[]> {
    this.asked.push(day);
    if (this.failure !== null) throw this.failure;
    return this.#days.get(day) ?? [];
  }
}

export class InMemoryTeamDirectory implements TeamDirectory {
  readonly #groups: ReadonlyMap<string, readonly string[]>;
  failure: Error | null = null;

  /** Group name → member emails as the identity provider spells them. */
  constructor(groups: Readonly<Record<string, readonly string[]>>) {
    this.#groups = new Map(Object.entries(groups));
  }

  async teamMembers(rule: TeamGroupRule): Promise<ReadonlyMap<string, readonly string[]>> {
    if (this.failure !== null) throw this.failure;
    const selected = [...this.#groups].filter(([name]) => (rule.kind === 'prefix' ? name.startsWith(rule.prefix) : rule.names.includes(name)));
    return new Map(selected.map(([name, members]) => [name, members.map((email) => email.trim().toLowerCase())]));
  }
}

/** Pull requests as a PR source hands them over: those updated since the time asked (ends and starts stand in for updates). */
export class InMemoryPullRequests implements PullRequestSource {
  readonly asked: number[] = [];
  failure: Error | null = null;
  readonly #work: readonly PullRequestWork[] | null;

  /** Null: no repository configured. */
  constructor(work: readonly PullRequestWork[] | null) {
    this.#work = work;
  }

  async pullRequests(sinceMs: number): Promise<readonly PullRequestWork[] | null> {
    this.asked.push(sinceMs);
    if (this.failure !== null) throw this.failure;
    return this.#work?.filter((pr) => (pr.endMs ?? Number.POSITIVE_INFINITY) >= sinceMs) ?? null;
  }
}

export class InMemoryDayUsageSource implements DayUsageSource {
  readonly #days: ReadonlyMap<string, DayUsage>;

  constructor(days: ReadonlyMap<string, DayUsage>) {
    this.#days = days;
  }

  async readDay(day: string): Promise<DayUsage> {
    return this.#days.get(day) ?? { lines: [], sessions: [], activity: [] };
  }
}

export class InMemoryRollupOutput implements RollupOutput {
  readonly files = new Map<string, RollupFile>();

  async writeDay(files: readonly RollupFile[]): Promise<void> {
    for (const file of files) this.files.set(file.key, file);
  }
}
