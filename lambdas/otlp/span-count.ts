import { readTag, walkExportRequest } from './protobuf-envelope.ts';

/**
 * Counts the spans of an ExportTraceServiceRequest without materialising them: seatmeter stores no
 * trace data. Each span's fields are still stepped over, so truncated or corrupt wire data is refused
 * just as a full decode would refuse it.
 */
export function countProtobufSpans(body: Uint8Array): number {
  let spans = 0;
  walkExportRequest(body, (reader, spanEnd) => {
    while (reader.pos < spanEnd) {
      const { field, wireType } = readTag(reader);
      reader.skipType(wireType, 0, field);
    }
    spans += 1;
    return false;
  });
  return spans;
}
