import type { Attributes } from '../otlp/types.ts';
import type { RecordContext } from '../records/types.ts';
import { firstString } from './attributes.ts';

export interface ContextKeys {
  /** Where this client keeps its session id. */
  readonly session: readonly string[];
  /** Where its own version is; empty when it reports none (Gemini's `service.version` is Node's). */
  readonly version: readonly string[];
}

/**
 * The identity and context fields every record carries. Point attributes win over resource attributes:
 * Claude copies resource attributes onto points, Codex and Gemini keep identity on the resource only.
 */
export function buildContext(tool: string, keys: ContextKeys, resource: Attributes, item: Attributes): RecordContext {
  const email = firstString(['user.email', 'enduser.email'], item, resource);
  return {
    tool,
    user_email: email === null ? null : email.trim().toLowerCase(),
    user_id: firstString(['user.id', 'enduser.id'], item, resource),
    organization_id: firstString(['organization.id'], item, resource),
    repo: firstString(['service.namespace'], item, resource),
    session_id: firstString(keys.session, item, resource),
    terminal: firstString(['terminal.type'], item, resource),
    client_version: keys.version.length === 0 ? null : firstString(keys.version, item, resource),
    // The receiver's team map decides it after normalizing; no attribute a client sends can.
    team: null,
  };
}
