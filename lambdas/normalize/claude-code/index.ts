import type { Attributes, LogRecord } from '../../otlp/types.ts';
import { numberAttr, stringAttr } from '../attributes.ts';
import { buildContext } from '../context.ts';
import type { EventSink, MetricRule, SourceAdapter } from '../types.ts';

/**
 * Claude Code. Tokens come from `claude_code.token.usage` (with `claude_code.cost.usage` as the client's own
 * cost): the metrics carry the session and are what Anthropic's monitoring guide sets up. The per-request
 * `api_request` events repeat the same tokens, so they become request records and request counts only.
 * Claude's `input` already excludes cache reads and writes; it reports no reasoning split.
 */
const MODEL = ['model'];

const RULES: ReadonlyMap<string, MetricRule> = new Map<string, MetricRule>([
  [
    'claude_code.token.usage',
    {
      use: 'tokens',
      typeAttribute: 'type',
      tokenTypes: ['input', 'output', 'cacheRead', 'cacheCreation'],
      modelAttributes: MODEL,
      toCanonical: (raw) => ({
        input_tokens: raw.input ?? 0,
        cache_read_tokens: raw.cacheRead ?? 0,
        cache_write_tokens: raw.cacheCreation ?? 0,
        output_tokens: raw.output ?? 0,
        reasoning_tokens: 0,
      }),
    },
  ],
  ['claude_code.cost.usage', { use: 'reported_cost', modelAttributes: MODEL }],
  ['claude_code.session.count', { use: 'activity', metrics: () => ['sessions'] }],
  ['claude_code.commit.count', { use: 'activity', metrics: () => ['commits'] }],
  ['claude_code.pull_request.count', { use: 'activity', metrics: () => ['pull_requests'] }],
  [
    'claude_code.lines_of_code.count',
    { use: 'activity', metrics: byType({ added: 'lines_added', removed: 'lines_removed' }), modelAttributes: MODEL },
  ],
  [
    'claude_code.active_time.total',
    { use: 'activity', metrics: byType({ user: 'active_time_user_s', cli: 'active_time_cli_s' }) },
  ],
  [
    'claude_code.code_edit_tool.decision',
    {
      use: 'activity',
      metrics: (attrs) => {
        const decision = stringAttr(attrs, 'decision');
        if (decision === 'accept') return ['edit_accepted'];
        if (decision === 'reject') return ['edit_rejected'];
        return null;
      },
      detailAttribute: 'tool_name',
    },
  ],
]);

function byType<T extends string>(map: Readonly<Record<string, T>>): (attrs: Attributes) => readonly T[] | null {
  return (attrs) => {
    const metric = map[stringAttr(attrs, 'type') ?? ''];
    return metric === undefined ? null : [metric];
  };
}

/** Events that carry nothing to meter (or nothing we may keep: prompts, responses, tool inputs). */
const UNMETERED_EVENTS = new Set([
  'user_prompt',
  'assistant_response',
  'tool_decision',
  'tool_result',
  'api_refusal',
  'api_request_body',
  'api_response_body',
  'api_retries_exhausted',
  'permission_mode_changed',
  'auth',
  'mcp_server_connection',
  'internal_error',
  'plugin_installed',
  'plugin_loaded',
  'skill_activated',
  'at_mention',
  'hook_registered',
  'hook_execution_start',
  'hook_execution_complete',
  'hook_plugin_metrics',
  'compaction',
  'subagent_completed',
  'feedback_survey',
  'retention_sweep',
]);

function handleEvent(eventName: string, record: LogRecord, sink: EventSink): boolean {
  const name = eventName.startsWith('claude_code.') ? eventName.slice('claude_code.'.length) : eventName;
  const attrs = record.attributes;
  if (name === 'api_request' || name === 'api_error') {
    const model = stringAttr(attrs, 'model');
    if (model === null) {
      sink.reject('no model');
      return true;
    }
    sink.request({
      event: name,
      model,
      request_id: stringAttr(attrs, 'request_id') ?? stringAttr(attrs, 'client_request_id'),
      duration_ms: numberAttr(attrs, 'duration_ms'),
      status_code: numberAttr(attrs, 'status_code'),
      error: name === 'api_error' ? stringAttr(attrs, 'error') : null,
      input_tokens: numberAttr(attrs, 'input_tokens') ?? 0,
      cache_read_tokens: numberAttr(attrs, 'cache_read_tokens') ?? 0,
      cache_write_tokens: numberAttr(attrs, 'cache_creation_tokens') ?? 0,
      output_tokens: numberAttr(attrs, 'output_tokens') ?? 0,
      reasoning_tokens: 0,
      reported_cost_usd: numberAttr(attrs, 'cost_usd'),
    });
    sink.activity('api_requests', 1, model, null);
    if (name === 'api_error') sink.activity('api_errors', 1, model, null);
    return true;
  }
  return UNMETERED_EVENTS.has(name);
}

export const claudeCode: SourceAdapter = {
  tool: 'claude_code',
  metricRule: (name) => RULES.get(name),
  handleEvent,
  context: (resource, item) =>
    buildContext('claude_code', { session: ['session.id'], version: ['app.version', 'service.version'] }, resource, item),
};

export function isClaudeCode(serviceName: string): boolean {
  return serviceName === 'claude-code' || serviceName === 'claude-code-desktop';
}
