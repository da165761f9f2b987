import type { TokenCounts } from '../records/types.ts';

/** The clients whose local session files `seatmeter import` reads, by the `tool` their telemetry names. */
export const IMPORT_TOOLS = ['claude_code', 'codex', 'gemini_cli'] as const;
export type ImportTool = (typeof IMPORT_TOOLS)[number];

/**
 * One model call read from a client's session file, already in the canonical token meanings (the same
 * mapping as the tool's telemetry). Prompt and response text never get here: the parsers read only ids,
 * times, models and counts.
 */
export interface SessionCall extends TokenCounts {
  readonly tool: ImportTool;
  /** The id the tool's telemetry gives the same session (`session.id`, Codex `conversation.id`). */
  readonly session_id: string;
  /** Unique within the session: what makes a second read of the same file the same call. */
  readonly call_id: string;
  /** The API request id, where the file records it (Claude Code: the same `request_id` as its `api_request` event). */
  readonly request_id: string | null;
  readonly time_ms: number;
  /** As the file names it; normalized as telemetry's is when it becomes a record. */
  readonly model: string;
  readonly user_email: string | null;
  readonly repo: string | null;
  readonly client_version: string | null;
}

/** Where a session's work happened, as its file records it: the working directory, or the git remote. */
export interface SessionPlace {
  readonly cwd: string | null;
  readonly remote: string | null;
}

/** A call as its file has it: who and which repository are for the importer to say (files name neither). */
export interface FileCall extends Omit<SessionCall, 'user_email' | 'repo'> {
  readonly place: SessionPlace;
}

/** What a parser read out of one file: its calls, and how many lines or entries it passed over and why. */
export interface ParsedSessionFile {
  readonly calls: readonly FileCall[];
  readonly skipped: ReadonlyMap<string, number>;
}

/** A session file's contents did not parse at all (one bad line is skipped and counted instead). */
export class SessionFileError extends Error {
  override readonly name = 'SessionFileError';
}
