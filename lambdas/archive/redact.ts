import type { Type } from 'protobufjs';
import type { OtlpEncoding } from '../otlp/media-type.ts';
import { PRIVATE_TEXT_ATTRIBUTES } from '../otlp/privacy.ts';
import { ExportLogsServiceRequest, ExportMetricsServiceRequest } from '../otlp/proto.ts';
import type { Signal } from '../otlp/types.ts';

/** An archivable body: the export as the client sent it, minus every text seatmeter must not keep. */
export interface RedactedBody {
  readonly body: Uint8Array;
  /** Redacted bodies are stored decompressed (the archive compresses them again). */
  readonly contentEncoding: undefined;
}

const TYPES: Readonly<Record<Exclude<Signal, 'traces'>, Type>> = {
  metrics: ExportMetricsServiceRequest,
  logs: ExportLogsServiceRequest,
};

/**
 * Removes prompt and response text from an accepted export before it is archived: the attributes the decoder
 * drops (PRIVATE_TEXT_ATTRIBUTES) wherever they occur, and every log record body (free text; GenAI events put
 * message content there). Everything seatmeter meters survives, so a replay derives the same records. Works on
 * the OTLP object tree, so protobuf and JSON keep their own encoding. Takes the payload ingest already
 * decompressed (IngestReport.payload).
 */
export function redactExport(plain: Uint8Array, encoding: OtlpEncoding, signal: Exclude<Signal, 'traces'>): RedactedBody {
  if (encoding === 'json') {
    const tree: unknown = JSON.parse(new TextDecoder().decode(plain));
    scrub(tree);
    return { body: new TextEncoder().encode(JSON.stringify(tree)), contentEncoding: undefined };
  }
  const type = TYPES[signal];
  const tree = type.toObject(type.decode(plain), { longs: String, bytes: Array });
  scrub(tree);
  return { body: type.encode(type.fromObject(tree)).finish(), contentEncoding: undefined };
}

function isKeyValueList(value: unknown[]): boolean {
  return value.every((item) => typeof item === 'object' && item !== null && typeof (item as { key?: unknown }).key === 'string');
}

/** Walks the OTLP tree in place: attribute lists lose private keys, log records lose their bodies. */
function scrub(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) scrub(item);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const object = node as Record<string, unknown>;
  for (const [key, value] of Object.entries(object)) {
    if (Array.isArray(value) && value.length > 0 && isKeyValueList(value)) {
      object[key] = value.filter((item) => !PRIVATE_TEXT_ATTRIBUTES.has((item as { key: string }).key));
    }
    if (key === 'logRecords' || key === 'log_records') {
      for (const record of value as Record<string, unknown>[]) delete record.body;
    }
    scrub(object[key]);
  }
}
