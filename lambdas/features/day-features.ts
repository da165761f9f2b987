import { normalizeEmail } from '../rollup/teams.ts';
import type { KeySession, SessionKey } from '../rollup/types.ts';
import { UNATTRIBUTED, sessionFeature } from './session-features.ts';
import type { PullRequestWork, SessionSpan } from './session-features.ts';

/** What attribution reads of a usage key: whose session, in which repository. */
export type SessionOf = Pick<SessionKey, 'user_email' | 'repo' | 'session_id'>;

/** Which feature each usage key's session went to. */
export type FeatureOf = (key: SessionOf) => string;

/** Every session in `unattributed`: what a day is when no pull requests are configured. */
export const NO_FEATURES: FeatureOf = () => UNATTRIBUTED;

/** Control characters, which no email, repo or session id holds, separate the parts and stand for null. */
function sessionId(key: SessionOf): string | null {
  if (key.session_id === null) return null;
  return `${normalizeEmail(key.user_email) ?? '\0'}\u0001${key.repo ?? '\0'}\u0001${key.session_id}`;
}

/**
 * The day's sessions, each given one feature. A session's span runs from its first to its last usage record
 * of the day across all its tools and models, so the keys of one session never land in different features.
 * Usage and activity outside any session (no session id) are `unattributed`.
 */
export function dayFeatures(sessions: readonly Pick<KeySession, keyof SessionOf | 'first_ms' | 'last_ms'>[], pullRequests: readonly PullRequestWork[]): FeatureOf {
  if (pullRequests.length === 0) return NO_FEATURES;
  const spans = new Map<string, { -readonly [K in keyof SessionSpan]: SessionSpan[K] }>();
  for (const session of sessions) {
    const id = sessionId(session);
    if (id === null) continue;
    const span = spans.get(id);
    if (span === undefined) spans.set(id, { user_email: session.user_email, repo: session.repo, firstMs: session.first_ms, lastMs: session.last_ms });
    else {
      span.firstMs = Math.min(span.firstMs, session.first_ms);
      span.lastMs = Math.max(span.lastMs, session.last_ms);
    }
  }
  const features = new Map([...spans].map(([id, span]) => [id, sessionFeature(span, pullRequests)]));
  return (key) => {
    const id = sessionId(key);
    return (id === null ? undefined : features.get(id)) ?? UNATTRIBUTED;
  };
}
