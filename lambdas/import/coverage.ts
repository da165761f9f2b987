import { DAY_MS } from '../rollup/day.ts';
import type { ImportTool, SessionCall } from './types.ts';

/**
 * Imported records' ids start with this, so no import id is ever a telemetry id, and a store can tell what
 * telemetry delivered from what an import added.
 */
export const IMPORT_ID_PREFIX = 'import-';

/** What the sessions and requests of a batch of calls are, for asking the store which telemetry already has. */
export interface CoverageQuery {
  readonly sessions: ReadonlyMap<ImportTool, readonly string[]>;
  /** Claude Code's API request ids (its telemetry's `api_request` events carry the same). */
  readonly requestIds: readonly string[];
  /** Gemini CLI's (user, UTC day start) pairs of the calls (see SLICE_TOOLS). */
  readonly slices: readonly { readonly tool: ImportTool; readonly user_email: string; readonly dayMs: number }[];
  /** Where telemetry of those sessions would be: a day either side of the calls, so a store reads only those days. */
  readonly fromMs: number;
  readonly toMs: number;
}


export interface SeenByTelemetry {
  /** `tool` + U+0001 + session id: sessions with any record telemetry (not an import) stored. */
  readonly sessions: ReadonlySet<string>;
  readonly requestIds: ReadonlySet<string>;
  /** sliceKey(tool, user, day start): days on which telemetry stored usage of that user and tool. */
  readonly slices: ReadonlySet<string>;
}

/**
 * The tools whose files' session id is not known to be the one their telemetry sends: Gemini CLI's chat
 * recording took `config.getSessionId()` (telemetry's `session.id`) and later versions an agent context's
 * prompt id. For them a (user, tool, UTC day) on which telemetry stored any usage is left to telemetry whole.
 */
export const SLICE_TOOLS: readonly ImportTool[] = ['gemini_cli'];

/** The start of `ms`'s UTC day: the day of a (user, tool, day) slice. */
export const dayStart = (ms: number): number => Math.floor(ms / DAY_MS) * DAY_MS;

export const sliceKey = (tool: string, userEmail: string, dayMs: number): string => `${tool}\u0001${userEmail}\u0001${dayMs}`;

/**
 * Port onto the usage store: which of the asked sessions and request ids telemetry has already delivered.
 * Records whose id starts with IMPORT_ID_PREFIX are not telemetry and never count. Throws when the store
 * cannot answer, so nothing is imported on a guess.
 */
export interface TelemetryCoverage {
  seen(query: CoverageQuery): Promise<SeenByTelemetry>;
}

export const sessionKey = (tool: string, sessionId: string): string => `${tool}\u0001${sessionId}`;

export function coverageQuery(calls: readonly SessionCall[]): CoverageQuery {
  const sessions = new Map<ImportTool, Set<string>>();
  const requestIds = new Set<string>();
  const slices = new Map<string, CoverageQuery['slices'][number]>();
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const call of calls) {
    first = Math.min(first, call.time_ms);
    last = Math.max(last, call.time_ms);
    let ids = sessions.get(call.tool);
    if (ids === undefined) sessions.set(call.tool, (ids = new Set()));
    ids.add(call.session_id);
    if (call.request_id !== null) requestIds.add(call.request_id);
    if (SLICE_TOOLS.includes(call.tool) && call.user_email !== null) {
      const slice = { tool: call.tool, user_email: call.user_email, dayMs: dayStart(call.time_ms) };
      slices.set(sliceKey(slice.tool, slice.user_email, slice.dayMs), slice);
    }
  }
  const fromMs = calls.length === 0 ? 0 : first - DAY_MS;
  return { sessions: new Map([...sessions].map(([tool, ids]) => [tool, [...ids].sort()])), requestIds: [...requestIds].sort(), slices: [...slices.values()], fromMs, toMs: calls.length === 0 ? 0 : last + DAY_MS };
}

/**
 * Whether telemetry already delivered a call. The shared key is the session: every client's files name the
 * session id its telemetry sends, and a client exports for the whole of a session or not at all (its exporter
 * is set when it starts). So any telemetry record of the session covers all its calls — also those whose
 * own telemetry was lost, because Claude Code's tokens come from its metrics, which carry no request id, and
 * counting a request twice is worse than counting a lost one never. Claude Code's request id is checked too,
 * for a call telemetry saw under another session id; for SLICE_TOOLS, the day.
 */
export function coveredByTelemetry(call: SessionCall, seen: SeenByTelemetry): boolean {
  return (
    seen.sessions.has(sessionKey(call.tool, call.session_id)) ||
    (call.request_id !== null && seen.requestIds.has(call.request_id)) ||
    (call.user_email !== null && seen.slices.has(sliceKey(call.tool, call.user_email, dayStart(call.time_ms))))
  );
}

