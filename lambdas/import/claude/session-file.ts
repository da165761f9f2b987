/**
 * Claude Code's session transcripts, `~/.claude/projects/<encoded cwd>/<session id>.jsonl` (subagents under
 * `<session id>/subagents/agent-*.jsonl`): one JSON object per line. Anthropic documents no schema; the fields
 * read here are the ones community parsers agree on (ccusage's `adapter/claude/data-loader.ts`) and that
 * Claude Code's monitoring docs name as the join to telemetry: an `assistant` line carries `sessionId`,
 * `timestamp`, `cwd`, `version`, `requestId` (the `request_id` of its `api_request` event) and `message` with
 * `id`, `model` and `usage` {`input_tokens`, `cache_creation_input_tokens`, `cache_read_input_tokens`,
 * `output_tokens`}. Claude Code writes one line per content block, each repeating the message's usage, so a
 * call is one (message id, request id): the last line of it wins, and the repeats add nothing.
 */
import { increment } from '../../normalize/counts.ts';
import { countAt, jsonLines, objectAt, textAt, timeAt } from '../json-fields.ts';
import type { FileCall, ParsedSessionFile } from '../types.ts';

/** Claude Code's model name for messages it made up itself (errors, interruptions): no API call behind them. */
const SYNTHETIC_MODEL = '<synthetic>';

export function parseClaudeSession(text: string): ParsedSessionFile {
  const skipped = new Map<string, number>();
  const calls = new Map<string, FileCall>();
  for (const { line } of jsonLines(text, skipped)) {
    if (line.type !== 'assistant') continue;
    const message = objectAt(line, 'message');
    const usage = objectAt(message, 'usage');
    if (usage === null) continue;
    const model = textAt(message, 'model');
    if (model === SYNTHETIC_MODEL) {
      increment(skipped, 'no API call (synthetic message)', 1);
      continue;
    }
    const sessionId = textAt(line, 'sessionId');
    const messageId = textAt(message, 'id');
    const time = timeAt(line, 'timestamp');
    if (model === null || sessionId === null || messageId === null || time === null) {
      increment(skipped, 'assistant line without model, session, message id or time', 1);
      continue;
    }
    const input = countAt(usage, 'input_tokens');
    const cacheWrite = countAt(usage, 'cache_creation_input_tokens');
    const cacheRead = countAt(usage, 'cache_read_input_tokens');
    const output = countAt(usage, 'output_tokens');
    if (input === null || cacheWrite === null || cacheRead === null || output === null) {
      increment(skipped, 'usage that is not whole token counts', 1);
      continue;
    }
    const requestId = textAt(line, 'requestId');
    const callId = `${messageId}/${requestId ?? ''}`;
    calls.set(callId, {
      tool: 'claude_code',
      session_id: sessionId,
      call_id: callId,
      request_id: requestId,
      time_ms: time,
      model,
      input_tokens: input,
      cache_read_tokens: cacheRead,
      cache_write_tokens: cacheWrite,
      output_tokens: output,
      reasoning_tokens: 0,
      place: { cwd: textAt(line, 'cwd'), remote: null },
      client_version: textAt(line, 'version'),
    });
  }
  return { calls: [...calls.values()], skipped };
}
