import { nanosToMillis } from '../records/identity.ts';
import type { ActivityMetric, RecordContext, TokenCounts, UnpricedRecord } from '../records/types.ts';
import { normalizeModelName } from './model-name.ts';
import type { RequestFields } from './types.ts';

export function usageRecord(
  context: RecordContext,
  id: string,
  time: bigint,
  rawModel: string,
  tokens: TokenCounts,
  reportedCostUsd: number | null,
): UnpricedRecord {
  return { kind: 'usage', id, time_ms: nanosToMillis(time), ...context, model: normalizeModelName(rawModel), ...tokens, reported_cost_usd: reportedCostUsd };
}

export function activityRecord(
  context: RecordContext,
  id: string,
  time: bigint,
  metric: ActivityMetric,
  value: number,
  model: string | null,
  detail: string | null,
): UnpricedRecord {
  return {
    kind: 'activity',
    id,
    time_ms: nanosToMillis(time),
    ...context,
    metric,
    value,
    model: model === null ? null : normalizeModelName(model),
    detail,
  };
}

export function requestRecord(context: RecordContext, id: string, time: bigint, fields: RequestFields): UnpricedRecord {
  return {
    kind: 'request',
    id,
    time_ms: nanosToMillis(time),
    ...context,
    event: fields.event,
    model: normalizeModelName(fields.model),
    request_id: fields.request_id,
    duration_ms: fields.duration_ms,
    status_code: fields.status_code,
    error: fields.error,
    input_tokens: fields.input_tokens,
    cache_read_tokens: fields.cache_read_tokens,
    cache_write_tokens: fields.cache_write_tokens,
    output_tokens: fields.output_tokens,
    reasoning_tokens: fields.reasoning_tokens,
    reported_cost_usd: fields.reported_cost_usd,
  };
}
