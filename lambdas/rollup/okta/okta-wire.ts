import { arrayAt, joinEmail, objectAt, oneOfAt, optionalStringAt, stringAt } from '../wire-fields.ts';

/** The wire shapes of Okta's group and group-member lists, checked field by field; only what the join needs. */

export interface OktaGroup {
  readonly id: string;
  readonly name: string;
}

/** Every user status the Management API documents. */
const USER_STATUSES = ['STAGED', 'PROVISIONED', 'ACTIVE', 'RECOVERY', 'LOCKED_OUT', 'PASSWORD_EXPIRED', 'SUSPENDED', 'DEPROVISIONED'] as const;

/**
 * Members whose account was activated and is not deactivated. A locked-out, expired or suspended person still
 * belongs to their team (their usage of the day stays theirs); a staged or provisioned account has never been
 * used, and a deprovisioned one belongs to someone who has left.
 */
const MEMBER_STATUSES: ReadonlySet<string> = new Set(['ACTIVE', 'RECOVERY', 'LOCKED_OUT', 'PASSWORD_EXPIRED', 'SUSPENDED']);

export function parseGroups(json: unknown): OktaGroup[] {
  return arrayAt(json, 'body').map((value, index) => {
    const group = objectAt(value, `[${index}]`);
    return { id: stringAt(group.id, `[${index}].id`), name: stringAt(objectAt(group.profile, `[${index}].profile`).name, `[${index}].profile.name`) };
  });
}

/**
 * The join emails of one page of members: `profile.email`, else `profile.login` when that is an address
 * (orgs whose users sign in with their email often leave the two equal). A member with neither cannot match any
 * telemetry or Analytics row, so leaving them out changes no total.
 */
export function parseMemberEmails(json: unknown): string[] {
  const emails: string[] = [];
  arrayAt(json, 'body').forEach((value, index) => {
    const user = objectAt(value, `[${index}]`);
    const status = oneOfAt(user.status, `[${index}].status`, USER_STATUSES);
    const profile = objectAt(user.profile, `[${index}].profile`);
    const email = optionalStringAt(profile.email, `[${index}].profile.email`);
    const login = stringAt(profile.login, `[${index}].profile.login`);
    const address = (email === null ? null : joinEmail(email)) ?? joinEmail(login);
    if (MEMBER_STATUSES.has(status) && address !== null) emails.push(address);
  });
  return emails;
}
