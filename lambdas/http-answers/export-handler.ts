import { ingestOtlp } from '../ingest/ingest.ts';
import type { IngestOptions, IngestPorts, IngestReport } from '../ingest/ingest.ts';
import { encodeErrorStatus } from '../otlp/error-response.ts';
import { OtlpDecodeError } from '../otlp/errors.ts';
import { encodeExportResponse } from '../otlp/export-response.ts';
import { parseContentType } from '../otlp/media-type.ts';
import type { OtlpEncoding } from '../otlp/media-type.ts';

/** An OTLP export as any transport delivers it (node:http locally, API Gateway in AWS). */
export interface ExportRequest {
  readonly path: string;
  readonly body: Uint8Array;
  readonly contentType: string | undefined;
  readonly contentEncoding: string | undefined;
}

export interface ExportAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
  /** What happened, for the operator's log line; never any payload content. */
  readonly summary: string;
  readonly report?: IngestReport;
}

/** Seconds a client should wait before retrying while storage is unavailable. */
export const RETRY_AFTER_SECONDS = 5;

export const STORED_HEADER = 'seatmeter-stored';
export const DUPLICATES_HEADER = 'seatmeter-duplicates';
export const REJECTED_HEADER = 'seatmeter-rejected';

export function errorAnswer(encoding: OtlpEncoding | undefined, status: number, message: string, headers: Record<string, string> = {}): ExportAnswer {
  const encoded = encodeErrorStatus(encoding, status, message);
  return { status, headers: { 'content-type': encoded.contentType, ...headers }, body: encoded.body, summary: message };
}

/**
 * Answers like an OTLP collector, and only with the truth: 200 once the records are durably stored (with
 * `partial_success` saying what was rejected), 4xx for what no retry can fix (clients drop it), 503 with
 * Retry-After when storage failed (clients retry, and records' ids make the retry safe).
 */
export async function answerExport(request: ExportRequest, ports: IngestPorts, options: IngestOptions = {}): Promise<ExportAnswer> {
  let encoding: OtlpEncoding | undefined;
  let report: IngestReport;
  try {
    encoding = parseContentType(request.contentType);
    report = await ingestOtlp({ ...request, encoding, pathHint: request.path }, ports, options);
  } catch (error) {
    if (error instanceof OtlpDecodeError) return errorAnswer(encoding, error.httpStatus, error.message);
    const reason = error instanceof Error ? error.message : String(error);
    return errorAnswer(encoding, 503, `storage unavailable, nothing was stored; retry later (${reason})`, {
      'retry-after': String(RETRY_AFTER_SECONDS),
    });
  }
  const encoded = encodeExportResponse(report.signal, report.encoding, { rejected: report.rejected, errorMessage: report.message });
  const summary =
    `${report.signal} ${report.encoding} items=${report.items} stored=${report.written} duplicates=${report.duplicates} rejected=${report.rejected}` +
    (report.message === '' ? '' : ` (${report.message})`);
  // What was stored, for callers that need the counts (replay): OTLP's answer body carries only rejections.
  const counts = { [STORED_HEADER]: String(report.written), [DUPLICATES_HEADER]: String(report.duplicates), [REJECTED_HEADER]: String(report.rejected) };
  return { status: 200, headers: { 'content-type': encoded.contentType, ...counts }, body: encoded.body, summary, report };
}
