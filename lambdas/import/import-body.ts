import { IMPORT_TOOLS } from './types.ts';
import type { ImportTool, SessionCall } from './types.ts';

/** What one import request may carry: the CLI sends batches of this many calls. */
export const MAX_IMPORT_CALLS = 2_000;

/** Where the import route is, after any prefix the endpoint has (as the probe route is). */
export const IMPORT_ROUTE = '/seatmeter/import';

export class ImportBodyError extends Error {
  override readonly name = 'ImportBodyError';
}

const TEXT_FIELDS = ['session_id', 'call_id', 'model'] as const;
const OPTIONAL_TEXT = ['request_id', 'user_email', 'repo', 'client_version'] as const;
const COUNT_FIELDS = ['input_tokens', 'cache_read_tokens', 'cache_write_tokens', 'output_tokens', 'reasoning_tokens', 'time_ms'] as const;

function checkedCall(value: unknown, index: number): SessionCall {
  const at = `calls[${index}]`;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ImportBodyError(`${at} is not an object`);
  const call = value as Record<string, unknown>;
  if (!IMPORT_TOOLS.includes(call.tool as ImportTool)) throw new ImportBodyError(`${at}.tool must be one of ${IMPORT_TOOLS.join(', ')}, got ${JSON.stringify(call.tool)}`);
  for (const field of TEXT_FIELDS) {
    if (typeof call[field] !== 'string' || (call[field] as string).trim() === '') throw new ImportBodyError(`${at}.${field} must be a non-empty string`);
  }
  for (const field of OPTIONAL_TEXT) {
    if (call[field] !== null && typeof call[field] !== 'string') throw new ImportBodyError(`${at}.${field} must be a string or null`);
  }
  for (const field of COUNT_FIELDS) {
    if (!Number.isSafeInteger(call[field]) || (call[field] as number) < 0) throw new ImportBodyError(`${at}.${field} must be a whole number, not negative`);
  }
  if ((call.reasoning_tokens as number) > (call.output_tokens as number)) throw new ImportBodyError(`${at}: reasoning_tokens exceed output_tokens`);
  const { tool, session_id, call_id, request_id, time_ms, model, user_email, repo, client_version, input_tokens, cache_read_tokens, cache_write_tokens, output_tokens, reasoning_tokens } = call as unknown as SessionCall;
  // Only the known fields go on: whatever else a body carries (prompt text included) is dropped here.
  return { tool, session_id, call_id, request_id, time_ms, model, user_email, repo, client_version, input_tokens, cache_read_tokens, cache_write_tokens, output_tokens, reasoning_tokens };
}

/** `{"calls": [...]}` checked call by call: one bad call refuses the batch, naming it, and nothing is stored. */
export function parseImportBody(text: string): SessionCall[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ImportBodyError('the body is not JSON; expected {"calls": [...]}');
  }
  const calls = (body as { calls?: unknown } | null)?.calls;
  if (!Array.isArray(calls)) throw new ImportBodyError('expected {"calls": [...]}');
  if (calls.length > MAX_IMPORT_CALLS) throw new ImportBodyError(`${calls.length} calls in one request; send at most ${MAX_IMPORT_CALLS}`);
  return calls.map(checkedCall);
}
