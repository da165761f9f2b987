import type { Attributes, LogRecord } from '../../otlp/types.ts';
import { numberAttr, stringAttr } from '../attributes.ts';
import { buildContext } from '../context.ts';
import type { EventSink, MetricRule, RawTokens, SourceAdapter } from '../types.ts';
import type { TokenCounts } from '../../records/types.ts';

/**
 * Gemini CLI. Tokens come from `gemini_cli.token.usage`; the semconv `gen_ai.client.token.usage` it also
 * emits counts the same tokens (without the cache split) and the `gemini_cli.api_response` event repeats
 * them per call, so that event becomes a request record only. Gemini API semantics: prompt tokens include
 * cached tokens, tool-use prompt tokens are separate input, thoughts are billed as output but reported
 * apart from candidates.
 */
function geminiTokens(input: number, cache: number, tool: number, output: number, thought: number): TokenCounts {
  return {
    input_tokens: input - cache + tool,
    cache_read_tokens: cache,
    cache_write_tokens: 0,
    output_tokens: output + thought,
    reasoning_tokens: thought,
  };
}

const fromMetric = (raw: RawTokens): TokenCounts =>
  geminiTokens(raw.input ?? 0, raw.cache ?? 0, raw.tool ?? 0, raw.output ?? 0, raw.thought ?? 0);

const DUPLICATE = 'duplicates gemini_cli.* metrics';
const LATENCY = 'latency, not usage';

const RULES: ReadonlyMap<string, MetricRule> = new Map<string, MetricRule>([
  [
    'gemini_cli.token.usage',
    {
      use: 'tokens',
      typeAttribute: 'type',
      tokenTypes: ['input', 'output', 'cache', 'thought', 'tool'],
      modelAttributes: ['model'],
      toCanonical: fromMetric,
    },
  ],
  ['gemini_cli.session.count', { use: 'activity', metrics: () => ['sessions'] }],
  [
    'gemini_cli.api.request.count',
    {
      use: 'activity',
      metrics: (attrs: Attributes) => (isError(attrs) ? ['api_requests', 'api_errors'] : ['api_requests']),
      modelAttributes: ['model'],
    },
  ],
  [
    'gemini_cli.lines.changed',
    {
      use: 'activity',
      metrics: (attrs: Attributes) => {
        const type = stringAttr(attrs, 'type');
        if (type === 'added') return ['lines_added'];
        if (type === 'removed') return ['lines_removed'];
        return null;
      },
    },
  ],
  ['gen_ai.client.token.usage', { use: 'ignore', reason: DUPLICATE }],
  ['gen_ai.client.operation.duration', { use: 'ignore', reason: LATENCY }],
  ['gemini_cli.api.request.latency', { use: 'ignore', reason: LATENCY }],
  ['gemini_cli.model_routing.latency', { use: 'ignore', reason: LATENCY }],
  ['gemini_cli.startup.duration', { use: 'ignore', reason: LATENCY }],
  ['gemini_cli.tool.call.latency', { use: 'ignore', reason: LATENCY }],
  ['gemini_cli.tool.call.count', { use: 'ignore', reason: 'tool calls are not metered' }],
  ['gemini_cli.file.operation.count', { use: 'ignore', reason: 'file operations are not metered' }],
]);

function isError(attrs: Attributes): boolean {
  const status = numberAttr(attrs, 'status_code');
  return (status !== null && status >= 400) || stringAttr(attrs, 'error_type') !== null;
}

const UNMETERED_EVENTS = new Set([
  'gemini_cli.config',
  'gemini_cli.user_prompt',
  'gemini_cli.api_request',
  'gemini_cli.model_routing',
  'gemini_cli.startup_stats',
  'gemini_cli.ripgrep_fallback',
  'gemini_cli.plan.approval_mode_duration',
  'gemini_cli.tool_call',
  'gemini_cli.file_operation',
  'gemini_cli.chat_compression',
  'gemini_cli.conversation_finished',
  'gemini_cli.flash_fallback',
  'gen_ai.client.inference.operation.details',
]);

function apiCall(eventName: string, record: LogRecord, sink: EventSink): void {
  const attrs = record.attributes;
  const model = stringAttr(attrs, 'model');
  if (model === null) {
    sink.reject('no model');
    return;
  }
  const tokens = geminiTokens(
    numberAttr(attrs, 'input_token_count') ?? 0,
    numberAttr(attrs, 'cached_content_token_count') ?? 0,
    numberAttr(attrs, 'tool_token_count') ?? 0,
    numberAttr(attrs, 'output_token_count') ?? 0,
    numberAttr(attrs, 'thoughts_token_count') ?? 0,
  );
  if (tokens.input_tokens < 0) {
    sink.reject('cached tokens exceed input tokens');
    return;
  }
  sink.request({
    event: eventName,
    model,
    request_id: stringAttr(attrs, 'prompt_id'),
    duration_ms: numberAttr(attrs, 'duration_ms'),
    status_code: numberAttr(attrs, 'status_code'),
    error: eventName === 'gemini_cli.api_error' ? (stringAttr(attrs, 'error') ?? stringAttr(attrs, 'error.message')) : null,
    reported_cost_usd: null,
    ...tokens,
  });
}

function handleEvent(eventName: string, record: LogRecord, sink: EventSink): boolean {
  if (eventName === 'gemini_cli.api_response' || eventName === 'gemini_cli.api_error') {
    apiCall(eventName, record, sink);
    return true;
  }
  return UNMETERED_EVENTS.has(eventName);
}

export const geminiCli: SourceAdapter = {
  tool: 'gemini_cli',
  metricRule: (name) => RULES.get(name),
  handleEvent,
  // `service.version` is the Node.js version, and the CLI's own version appears nowhere in its telemetry.
  context: (resource, item) => buildContext('gemini_cli', { session: ['session.id'], version: [] }, resource, item),
};

export function isGeminiCli(serviceName: string): boolean {
  return serviceName === 'gemini-cli';
}
