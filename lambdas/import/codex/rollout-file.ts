/**
 * Codex CLI's session rollouts, `~/.codex/sessions/YYYY/MM/DD/rollout-<time>-<session id>.jsonl`: one
 * `{timestamp, type, payload}` per line (openai/codex, `codex-rs/protocol/src/protocol.rs`: `RolloutLine`,
 * `SessionMeta`, `TurnContext`, `TokenCountEvent`). `session_meta` names the session (`id`, the
 * `conversation.id` of Codex's telemetry), `cwd`, `cli_version` and `git.repository_url`; each `turn_context`
 * the `model` of the turns after it; each `event_msg` of `type` `token_count` carries
 * `info.total_token_usage` {`input_tokens` (cached included), `cached_input_tokens`, `output_tokens`
 * (reasoning included), `reasoning_output_tokens`}: **cumulative for the session**. Codex re-emits the same
 * total, so the usage is the growth from one total to the next, each growth at its own time and model; the
 * growths sum to the last total exactly, and a repeated total adds nothing. A total below the one before
 * (a new count) starts over from zero.
 */
import { increment } from '../../normalize/counts.ts';
import type { TokenCounts } from '../../records/types.ts';
import { countAt, jsonLines, objectAt, textAt, timeAt } from '../json-fields.ts';
import type { FileCall, ParsedSessionFile, SessionPlace } from '../types.ts';

interface CodexTotal {
  readonly input: number;
  readonly cached: number;
  readonly output: number;
  readonly reasoning: number;
}

const ZERO: CodexTotal = { input: 0, cached: 0, output: 0, reasoning: 0 };

function totalOf(usage: unknown): CodexTotal | null {
  const input = countAt(usage, 'input_tokens');
  const cached = countAt(usage, 'cached_input_tokens');
  const output = countAt(usage, 'output_tokens');
  const reasoning = countAt(usage, 'reasoning_output_tokens');
  if (input === null || cached === null || output === null || reasoning === null || cached > input || reasoning > output) return null;
  return { input, cached, output, reasoning };
}

const KEYS = ['input', 'cached', 'output', 'reasoning'] as const;

/** The canonical tokens of a growth: Codex's input includes the cached part, its output the reasoning. */
function growth(from: CodexTotal, to: CodexTotal): TokenCounts {
  const restarted = KEYS.some((key) => to[key] < from[key]);
  const base = restarted ? ZERO : from;
  const input = to.input - base.input;
  const cached = to.cached - base.cached;
  return { input_tokens: input - cached, cache_read_tokens: cached, cache_write_tokens: 0, output_tokens: to.output - base.output, reasoning_tokens: to.reasoning - base.reasoning };
}

export function parseCodexRollout(text: string): ParsedSessionFile {
  const skipped = new Map<string, number>();
  const calls: FileCall[] = [];
  let session: { readonly id: string; readonly place: SessionPlace; readonly version: string | null } | null = null;
  let model: string | null = null;
  let last = ZERO;
  let count = 0;
  for (const { line } of jsonLines(text, skipped)) {
    const payload = objectAt(line, 'payload');
    if (line.type === 'session_meta') {
      const id = textAt(payload, 'id');
      if (id === null) continue;
      const remote = textAt(objectAt(payload, 'git'), 'repository_url');
      session = { id, place: { cwd: textAt(payload, 'cwd'), remote }, version: textAt(payload, 'cli_version') };
      continue;
    }
    if (line.type === 'turn_context') {
      model = textAt(payload, 'model') ?? model;
      continue;
    }
    if (line.type !== 'event_msg' || payload?.type !== 'token_count') continue;
    const info = objectAt(payload, 'info');
    // Codex sends token_count with no info before the first response of a session: nothing used yet.
    if (info === null) continue;
    const total = totalOf(objectAt(info, 'total_token_usage'));
    const time = timeAt(line, 'timestamp');
    if (total === null || time === null) {
      increment(skipped, 'token count that is not whole, consistent token counts', 1);
      continue;
    }
    if (KEYS.every((key) => total[key] === last[key])) continue;
    if (session === null || model === null) {
      // Without its model a growth cannot be priced or told apart; without the session, not matched to telemetry.
      increment(skipped, session === null ? 'token count before the session_meta line' : 'token count before any turn_context model', 1);
      last = total;
      continue;
    }
    count += 1;
    calls.push({
      tool: 'codex',
      session_id: session.id,
      call_id: `${session.id}/${count}`,
      request_id: null,
      time_ms: time,
      model,
      ...growth(last, total),
      place: session.place,
      client_version: session.version,
    });
    last = total;
  }
  return { calls, skipped };
}
