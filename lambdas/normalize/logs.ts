import { canonicalAttributes, scopeOrigin } from '../otlp/canonical-attributes.ts';
import type { Attributes, LogRecord, ResourceItems } from '../otlp/types.ts';
import { recordId } from '../records/identity.ts';
import type { RecordContext } from '../records/types.ts';
import { adapterFor } from './adapters.ts';
import { stringAttr } from './attributes.ts';
import { increment } from './counts.ts';
import { reject } from './outcome.ts';
import { activityRecord, requestRecord, usageRecord } from './records.ts';
import { invalidTokens } from './tokens.ts';
import type { EventSink, NormalizeOutcome, SourceAdapter } from './types.ts';
import { MAX_COST_USD_PER_POINT, invalidValueReason } from './values.ts';

/** Log records into records: each client's events through its adapter's handler. */
export function normalizeLogs(resource: ResourceItems<LogRecord>, outcome: NormalizeOutcome): void {
  const attributes = resource.resource.attributes;
  const adapter = adapterFor(attributes);
  for (const scope of resource.scopes) {
    const origin = scopeOrigin(resource, scope.scope.name, scope.scope.version);
    for (const record of scope.items) logRecord(adapter, attributes, origin, record, outcome);
  }
}

function logRecord(adapter: SourceAdapter, resource: Attributes, origin: string, record: LogRecord, outcome: NormalizeOutcome): void {
  // Codex fills LogRecord.eventName with a call-site string; the attribute is what every client agrees on.
  const eventName = stringAttr(record.attributes, 'event.name') ?? (record.eventName === '' ? null : record.eventName);
  if (eventName === null) {
    increment(outcome.unknown, '(log record without event.name)', 1);
    return;
  }
  // Codex sends timeUnixNano=0; the observed time is when the event was recorded.
  const time = record.timeUnixNano !== 0n ? record.timeUnixNano : record.observedTimeUnixNano;
  const { records } = outcome;
  const emitted = records.length;
  let rejected = false;
  const context = (): RecordContext => adapter.context(resource, record.attributes);
  const baseId = (): string => recordId(origin, eventName, canonicalAttributes(record.attributes), String(time));
  const sink: EventSink = {
    usage: (model, tokens, reportedCostUsd) => {
      const invalid = invalidTokens(tokens) ?? invalidValueReason(reportedCostUsd ?? 0, MAX_COST_USD_PER_POINT);
      if (invalid !== null) sink.reject(invalid);
      else records.push(usageRecord(context(), recordId('usage', baseId()), time, model, tokens, reportedCostUsd));
    },
    request: (fields) => {
      const invalid = invalidTokens(fields) ?? invalidValueReason(fields.reported_cost_usd ?? 0, MAX_COST_USD_PER_POINT);
      if (invalid !== null) sink.reject(invalid);
      else records.push(requestRecord(context(), recordId('request', baseId()), time, fields));
    },
    activity: (metric, value, model, detail) => {
      records.push(activityRecord(context(), recordId('activity', baseId(), metric), time, metric, value, model, detail));
    },
    reject: (reason) => {
      rejected = true;
      reject(outcome, `${eventName}: ${reason}`);
    },
  };
  if (time === 0n) {
    sink.reject('no timestamp');
    return;
  }
  const known = adapter.handleEvent(eventName, record, sink);
  if (!known) {
    increment(outcome.unknown, eventName, 1);
    return;
  }
  if (rejected) {
    // A rejected event stores nothing: a request record without its usage would mislead drill-down.
    records.length = emitted;
    return;
  }
  outcome.accepted += 1;
  if (records.length === emitted) increment(outcome.ignored, eventName, 1);
}
