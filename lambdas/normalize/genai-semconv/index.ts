import type { MetricRule, SourceAdapter } from '../types.ts';
import { buildContext } from '../context.ts';

/**
 * Any other app following the OpenTelemetry GenAI semantic conventions (GitHub Copilot in VS Code, its CLI
 * and JetBrains plugin, agent frameworks). `gen_ai.client.token.usage` is the token source. By the spec its
 * `input` includes cached tokens and the metric has no cache split, so all input is priced as uncached: an
 * upper bound, like every estimate here.
 */
const RULES: ReadonlyMap<string, MetricRule> = new Map<string, MetricRule>([
  [
    'gen_ai.client.token.usage',
    {
      use: 'tokens',
      typeAttribute: 'gen_ai.token.type',
      tokenTypes: ['input', 'output'],
      modelAttributes: ['gen_ai.response.model', 'gen_ai.request.model'],
      toCanonical: (raw) => ({
        input_tokens: raw.input ?? 0,
        cache_read_tokens: 0,
        cache_write_tokens: 0,
        output_tokens: raw.output ?? 0,
        reasoning_tokens: 0,
      }),
    },
  ],
  ['gen_ai.client.operation.duration', { use: 'ignore', reason: 'latency, not usage' }],
  ['copilot_chat.session.count', { use: 'activity', metrics: () => ['sessions'] }],
  ['copilot_chat.pull_request.count', { use: 'activity', metrics: () => ['pull_requests'] }],
]);

const UNMETERED_EVENTS = new Set(['gen_ai.client.inference.operation.details']);

export function genaiSemconv(serviceName: string): SourceAdapter {
  return {
    tool: serviceName,
    metricRule: (name) => RULES.get(name),
    handleEvent: (eventName) => UNMETERED_EVENTS.has(eventName),
    context: (resource, item) =>
      buildContext(
        serviceName,
        { session: ['session.id', 'gen_ai.conversation.id'], version: ['service.version'] },
        resource,
        item,
      ),
  };
}
