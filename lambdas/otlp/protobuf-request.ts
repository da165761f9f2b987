import { OtlpDecodeError } from './errors.ts';
import { ExportLogsServiceRequest, ExportMetricsServiceRequest } from './proto.ts';
import { logsFromProtobuf, metricsFromProtobuf } from './protobuf-model.ts';
import { sniffProtobufSignal } from './signal-sniff.ts';
import { countProtobufSpans } from './span-count.ts';
import type { DecodedRequest, Signal } from './types.ts';

/**
 * Decodes a protobuf export request body. The signal comes from the bytes (see signal-sniff.ts);
 * `hint` only settles empty or genuinely ambiguous requests. A 0-byte body is a valid empty message.
 * Throws OtlpDecodeError (malformed_protobuf / unknown_signal).
 */
export function decodeProtobufRequest(body: Uint8Array, hint: Signal | undefined): DecodedRequest {
  const signal = readingWire(() => sniffProtobufSignal(body, hint));
  switch (signal) {
    case 'metrics':
      return { signal, resources: metricsFromProtobuf(readingWire(() => ExportMetricsServiceRequest.decode(body))) };
    case 'logs':
      return { signal, resources: logsFromProtobuf(readingWire(() => ExportLogsServiceRequest.decode(body))) };
    case 'traces':
      return { signal, spanCount: readingWire(() => countProtobufSpans(body)) };
  }
}

/** protobufjs reports broken wire data (truncation, bad tags, overlong lengths, excess nesting) as plain errors. */
function readingWire<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof OtlpDecodeError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new OtlpDecodeError('malformed_protobuf', `body is not a valid OTLP protobuf message: ${reason}`, { cause: error });
  }
}
