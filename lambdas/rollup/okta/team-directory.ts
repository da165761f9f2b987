import { DEFAULT_RETRY_POLICY, sendWithRetry } from '../http-retry.ts';
import type { PartnerResponse, RetryPolicy } from '../http-retry.ts';
import { mapLimited } from '../../async/map-limited.ts';
import { PartnerApiError, PartnerConfigError } from '../partner-errors.ts';
import type { TeamDirectory, TeamGroupRule } from '../sources.ts';
import { WireFieldError, parseJsonBody } from '../wire-fields.ts';
import { OKTA_SCOPES, oktaAuthorizer } from './authorizers.ts';
import type { OktaAuthorizer } from './authorizers.ts';
import type { OktaSettings } from './credentials.ts';
import { NextPages } from '../link-header.ts';
import { oktaErrorDetail, rateLimitWaitMs } from './okta-http.ts';
import { parseGroups, parseMemberEmails } from './okta-wire.ts';
import type { OktaGroup } from './okta-wire.ts';

/** Okta advises pages of at most 200 for both lists. */
const PAGE_SIZE = 200;

export interface OktaDirectoryOptions {
  readonly retry?: Partial<RetryPolicy>;
  /**
   * Member lists read at once: fewer round trips in sequence, well below Okta's per-org concurrency limit.
   * @default 4
   */
  readonly concurrency?: number;
}

/** A SCIM filter string literal, as `search` takes it. */
function quoted(text: string): string {
  return `"${text.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/** Code-unit order, the same on every machine: a prefix rule's team order must not depend on a locale. */
function byName(a: OktaGroup, b: OktaGroup): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** Two groups that a rule cannot tell apart would make one team's members depend on which is listed first. */
function checkUniqueNames(groups: readonly OktaGroup[]): void {
  const ids = new Map<string, string>();
  for (const group of groups) {
    const other = ids.get(group.name);
    if (other !== undefined) throw new PartnerApiError('Okta', 200, `two groups are named "${group.name}" (ids ${other} and ${group.id}); rename one so the team is unambiguous`);
    ids.set(group.name, group.id);
  }
}

/**
 * Okta's groups as the rollup's TeamDirectory. Groups are found with `search` on `profile.name` (`sw` for a
 * prefix rule, `eq` for each named group) rather than `q`, because Okta documents that a `q` query cannot be
 * paged and stops at 300 results; names are then matched exactly, case included. Members come from
 * `/groups/{id}/users`. Every list follows `Link: rel="next"` to its end; a 429 waits for `X-Rate-Limit-Reset`.
 */
export class OktaTeamDirectory implements TeamDirectory {
  readonly #orgUrl: string;
  readonly #authorizer: OktaAuthorizer;
  readonly #retry: RetryPolicy;
  readonly #concurrency: number;

  constructor(settings: OktaSettings, options: OktaDirectoryOptions = {}) {
    this.#orgUrl = settings.orgUrl;
    this.#retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.#authorizer = oktaAuthorizer(settings.orgUrl, settings.credentials, this.#retry);
    this.#concurrency = options.concurrency ?? 4;
    if (!Number.isSafeInteger(this.#concurrency) || this.#concurrency < 1) throw new PartnerConfigError(`Okta concurrency must be a positive integer, got ${this.#concurrency}`);
  }

  /** Groups in the rule's order of priority (the list's order, or by name for a prefix), each email once. */
  async teamMembers(rule: TeamGroupRule): Promise<ReadonlyMap<string, readonly string[]>> {
    const groups = await this.#teamGroups(rule);
    const members = await mapLimited(groups, this.#concurrency, (group) =>
      this.#readAll(`/api/v1/groups/${encodeURIComponent(group.id)}/users?limit=${PAGE_SIZE}`, `GET /api/v1/groups/{id}/users of "${group.name}"`, parseMemberEmails),
    );
    return new Map(groups.map((group, index) => [group.name, [...new Set(members[index])].sort()]));
  }

  async #teamGroups(rule: TeamGroupRule): Promise<OktaGroup[]> {
    if (rule.kind === 'prefix') {
      const found = await this.#findGroups(`profile.name sw ${quoted(rule.prefix)}`);
      const groups = found.filter((group) => group.name.startsWith(rule.prefix)).sort(byName);
      checkUniqueNames(groups);
      return groups;
    }
    const matches = await mapLimited(rule.names, this.#concurrency, async (name) =>
      (await this.#findGroups(`profile.name eq ${quoted(name)}`)).filter((group) => group.name === name),
    );
    const missing = rule.names.filter((_, index) => matches[index]?.length === 0);
    if (missing.length > 0) throw new PartnerApiError('Okta', 200, `no group named ${missing.map((name) => `"${name}"`).join(', ')} (names match exactly, case included)`);
    const groups = matches.flat();
    checkUniqueNames(groups);
    return groups;
  }

  #findGroups(search: string): Promise<OktaGroup[]> {
    return this.#readAll(`/api/v1/groups?search=${encodeURIComponent(search)}&limit=${PAGE_SIZE}`, 'GET /api/v1/groups', parseGroups);
  }

  /** Every page of a list, following `rel="next"` only within the org, so credentials never leave for another host. */
  async #readAll<T>(firstPath: string, label: string, parse: (json: unknown) => T[]): Promise<T[]> {
    const items: T[] = [];
    const first = `${this.#orgUrl}${firstPath}`;
    const pages = new NextPages('Okta', label, first);
    for (let url: string | null = first; url !== null; ) {
      const response = await this.#get(url, label);
      try {
        items.push(...parse(parseJsonBody(response.body)));
      } catch (error) {
        if (!(error instanceof WireFieldError)) throw error;
        throw new PartnerApiError('Okta', 200, `unexpected ${label} answer: ${error.message}`, { cause: error });
      }
      url = pages.next(response.headers.get('link'));
    }
    return items;
  }

  async #get(url: string, label: string): Promise<PartnerResponse> {
    const response = await sendWithRetry(
      {
        partner: 'Okta',
        label,
        send: async (signal) => fetch(url, { headers: { authorization: await this.#authorizer.authorization(), accept: 'application/json', 'user-agent': 'seatmeter-rollup' }, signal }),
        requestedWaitMs: rateLimitWaitMs,
      },
      this.#retry,
    );
    if (response.status === 200) return response;
    const detail = oktaErrorDetail(response.body);
    if (response.status === 401) throw new PartnerApiError('Okta', 401, `credentials rejected (HTTP 401): ${detail}`);
    if (response.status === 403) throw new PartnerApiError('Okta', 403, `not allowed to read groups and users (HTTP 403; the token needs ${OKTA_SCOPES} and a read-only admin role): ${detail}`);
    throw new PartnerApiError('Okta', response.status, `${label} answered HTTP ${response.status}: ${detail}`);
  }
}
