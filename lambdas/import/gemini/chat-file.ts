/**
 * Gemini CLI's chat recordings, `~/.gemini/tmp/<project hash>/chats/session-*.json` (one JSON object, older
 * versions) or `session-*.jsonl` (one record per line, newer ones), as google-gemini/gemini-cli writes them
 * (`packages/core/src/services/chatRecordingService.ts`, `chatRecordingTypes.ts`): a `ConversationRecord`
 * {`sessionId` (the `session.id` of its telemetry), `messages`}, or, line by line, its metadata, each
 * `MessageRecord` (appended again, whole, when it changes: the last copy of an id wins), `$set` updates and
 * `$rewindTo` marks. A `gemini` message carries `model` and `tokens` {`input` (cached included), `output`,
 * `cached`, `thoughts`, `tool`}; mapped as its telemetry is: input = input − cached + tool, output = output +
 * thoughts, reasoning = thoughts. A rewound message was still a call that was paid for, so it is counted.
 * The file names no working directory (only a hash of it), so its place is unknown.
 */
import { increment } from '../../normalize/counts.ts';
import { countAt, jsonLines, objectAt, textAt, timeAt } from '../json-fields.ts';
import type { JsonObject } from '../json-fields.ts';
import { SessionFileError } from '../types.ts';
import type { FileCall, ParsedSessionFile } from '../types.ts';

function call(message: JsonObject, sessionId: string, skipped: Map<string, number>): FileCall | null {
  if (message.type !== 'gemini') return null;
  const tokens = objectAt(message, 'tokens');
  if (tokens === null) return null;
  const id = textAt(message, 'id');
  const model = textAt(message, 'model');
  const time = timeAt(message, 'timestamp');
  const input = countAt(tokens, 'input');
  const output = countAt(tokens, 'output');
  const cached = countAt(tokens, 'cached');
  const thoughts = countAt(tokens, 'thoughts');
  const tool = countAt(tokens, 'tool');
  if (id === null || model === null || time === null) {
    increment(skipped, 'gemini message without id, model or time', 1);
    return null;
  }
  if (input === null || output === null || cached === null || thoughts === null || tool === null || cached > input) {
    increment(skipped, 'tokens that are not whole, consistent token counts', 1);
    return null;
  }
  return {
    tool: 'gemini_cli',
    session_id: sessionId,
    call_id: id,
    request_id: null,
    time_ms: time,
    model,
    input_tokens: input - cached + tool,
    cache_read_tokens: cached,
    cache_write_tokens: 0,
    output_tokens: output + thoughts,
    reasoning_tokens: thoughts,
    place: { cwd: null, remote: null },
    client_version: null,
  };
}

export function parseGeminiChat(text: string): ParsedSessionFile {
  const skipped = new Map<string, number>();
  const messages = new Map<string, JsonObject>();
  let sessionId: string | null = null;
  let whole: unknown = null;
  try {
    whole = JSON.parse(text);
  } catch {
    // Not one JSON document: the line-per-record form.
  }
  if (whole !== null && typeof whole === 'object' && Array.isArray((whole as JsonObject).messages)) {
    sessionId = textAt(whole, 'sessionId');
    for (const message of (whole as { messages: unknown[] }).messages) {
      const id = textAt(message, 'id');
      if (id !== null) messages.set(id, message as JsonObject);
    }
  } else {
    for (const { line } of jsonLines(text, skipped)) {
      const set = objectAt(line, '$set');
      sessionId = textAt(line, 'sessionId') ?? textAt(set, 'sessionId') ?? sessionId;
      const id = textAt(line, 'id');
      if (id !== null) messages.set(id, line);
    }
  }
  if (sessionId === null) throw new SessionFileError('no sessionId: not a Gemini CLI chat recording');
  const calls: FileCall[] = [];
  for (const message of messages.values()) {
    const found = call(message, sessionId, skipped);
    if (found !== null) calls.push(found);
  }
  return { calls, skipped };
}
