import type { LogRecord } from '../../otlp/types.ts';
import { numberAttr, stringAttr } from '../attributes.ts';
import { buildContext } from '../context.ts';
import type { EventSink, MetricRule, SourceAdapter } from '../types.ts';

/**
 * Codex CLI. Tokens come from the log events: the token-bearing `codex.sse_event` (kind
 * `response.completed` with `input_token_count`). Codex exports metrics only when `metrics_exporter` is set
 * (its default sends them to the vendor), while the logs exporter is the common setup, so every metric
 * (including the `codex.turn.token_usage` histogram that repeats the event's tokens) is deliberately unused.
 * OpenAI semantics: input includes cached (and cache-write) input; output includes reasoning.
 */
const METRICS_UNUSED: MetricRule = {
  use: 'ignore',
  reason: 'Codex is metered from its log events; its metrics repeat them and are often not exported',
};

const UNMETERED_EVENTS = new Set([
  'codex.user_prompt',
  'codex.startup_phase',
  'codex.turn_ttft',
  'codex.tool_decision',
  'codex.tool_result',
  'codex.websocket_request',
  'codex.websocket_event',
]);

function completedResponse(record: LogRecord, sink: EventSink): void {
  const attrs = record.attributes;
  const model = stringAttr(attrs, 'model') ?? stringAttr(attrs, 'slug');
  if (model === null) {
    sink.reject('no model');
    return;
  }
  const input = numberAttr(attrs, 'input_token_count') ?? 0;
  const cached = numberAttr(attrs, 'cached_token_count') ?? 0;
  const cacheWrite = numberAttr(attrs, 'cache_write_token_count') ?? 0;
  const tokens = {
    input_tokens: input - cached - cacheWrite,
    cache_read_tokens: cached,
    cache_write_tokens: cacheWrite,
    output_tokens: numberAttr(attrs, 'output_token_count') ?? 0,
    reasoning_tokens: numberAttr(attrs, 'reasoning_token_count') ?? 0,
  };
  if (tokens.input_tokens < 0) {
    sink.reject('cached input tokens exceed input tokens');
    return;
  }
  sink.usage(model, tokens, null);
  sink.request({
    event: 'codex.sse_event',
    model,
    request_id: null,
    duration_ms: numberAttr(attrs, 'duration_ms'),
    status_code: null,
    error: null,
    reported_cost_usd: null,
    ...tokens,
  });
}

function handleEvent(eventName: string, record: LogRecord, sink: EventSink): boolean {
  const attrs = record.attributes;
  switch (eventName) {
    case 'codex.sse_event':
      // Codex logs response.completed twice; only the record with token counts is the model call.
      if (stringAttr(attrs, 'event.kind') === 'response.completed' && attrs['input_token_count'] !== undefined) {
        completedResponse(record, sink);
      }
      return true;
    case 'codex.conversation_starts':
      sink.activity('sessions', 1, stringAttr(attrs, 'model'), null);
      return true;
    case 'codex.api_request': {
      const model = stringAttr(attrs, 'model');
      const status = numberAttr(attrs, 'http.response.status_code');
      sink.activity('api_requests', 1, model, null);
      if ((status !== null && status >= 400) || stringAttr(attrs, 'error.message') !== null) {
        sink.activity('api_errors', 1, model, null);
      }
      return true;
    }
    default:
      return UNMETERED_EVENTS.has(eventName);
  }
}

export const codex: SourceAdapter = {
  tool: 'codex',
  metricRule: (name) => (name.startsWith('codex.') ? METRICS_UNUSED : undefined),
  handleEvent,
  context: (resource, item) =>
    buildContext('codex', { session: ['conversation.id', 'session.id'], version: ['app.version', 'service.version'] }, resource, item),
};

/** `codex_exec` for `codex exec`; the TUI and IDE surfaces use other `codex…` names. */
export function isCodex(serviceName: string): boolean {
  return serviceName.startsWith('codex');
}
