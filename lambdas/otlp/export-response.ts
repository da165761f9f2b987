/** Encodes the Export*ServiceResponse a collector answers an accepted (possibly partially) request with. */
import type { Type } from 'protobufjs';
import type { OtlpEncoding } from './media-type.ts';
import { ExportLogsServiceResponse, ExportMetricsServiceResponse, ExportTraceServiceResponse } from './proto.ts';
import type { Signal } from './types.ts';

export interface ExportOutcome {
  /** Items refused: data points, log records or spans, according to the signal. */
  readonly rejected: number;
  /** Why items were refused, or a warning for the client; empty when there is nothing to say. */
  readonly errorMessage: string;
}

export interface EncodedResponse {
  readonly body: Uint8Array;
  readonly contentType: string;
}

const RESPONSES: Readonly<Record<Signal, { readonly type: Type; readonly rejectedField: string }>> = {
  metrics: { type: ExportMetricsServiceResponse, rejectedField: 'rejectedDataPoints' },
  logs: { type: ExportLogsServiceResponse, rejectedField: 'rejectedLogRecords' },
  traces: { type: ExportTraceServiceResponse, rejectedField: 'rejectedSpans' },
};

/**
 * A full success leaves partial_success out altogether, which the OTLP spec asks for. In JSON the
 * int64 count is a decimal string, per the proto3 JSON mapping.
 */
export function encodeExportResponse(signal: Signal, encoding: OtlpEncoding, outcome: ExportOutcome): EncodedResponse {
  if (!Number.isSafeInteger(outcome.rejected) || outcome.rejected < 0) {
    throw new RangeError(`rejected must be a non-negative integer, got ${outcome.rejected}`);
  }
  const { type, rejectedField } = RESPONSES[signal];
  const partialSuccess: Record<string, string> = {};
  if (outcome.rejected > 0) partialSuccess[rejectedField] = String(outcome.rejected);
  if (outcome.errorMessage !== '') partialSuccess['errorMessage'] = outcome.errorMessage;
  const response = Object.keys(partialSuccess).length === 0 ? {} : { partialSuccess };
  if (encoding === 'json') {
    return { body: new TextEncoder().encode(JSON.stringify(response)), contentType: 'application/json' };
  }
  return { body: type.encode(type.fromObject(response)).finish(), contentType: 'application/x-protobuf' };
}
