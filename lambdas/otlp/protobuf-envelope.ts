/**
 * Wire-level walk over the envelope that ExportMetrics/Logs/TraceServiceRequest share:
 * field 1 = Resource{Metrics,Logs,Spans}; inside it field 2 = Scope*; inside that field 2 = the items.
 * Nothing is decoded into objects, so the signal can be sniffed and spans counted for the cost of a scan.
 */
import protobuf from 'protobufjs/minimal.js';
import type { Reader } from 'protobufjs';
import { OtlpDecodeError } from './errors.ts';

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LEN = 2;
export const WIRE_FIXED32 = 5;

/**
 * Called with the reader at an item's first byte and `reader.len` clamped to the item's end, so a read
 * past the item throws. Return true to stop the walk.
 */
export type ItemVisitor = (reader: Reader, itemEnd: number) => boolean;

/** Reads a tag; field number 0 is never valid and protobufjs only rejects it when skipping. */
export function readTag(reader: Reader): { field: number; wireType: number } {
  const tag = reader.tag();
  const field = tag >>> 3;
  if (field === 0) throw new RangeError(`illegal field number 0 at offset ${reader.pos}`);
  return { field, wireType: tag & 7 };
}

/** Reads a length prefix and returns the end offset of the delimited value, which must fit its parent. */
export function delimitedEnd(reader: Reader): number {
  const size = reader.size();
  const end = reader.pos + size;
  if (end > reader.len) throw new RangeError(`length ${size} at offset ${reader.pos} overruns its message`);
  return end;
}

/**
 * Walks every item until the visitor stops it. Broken wire data surfaces as protobufjs errors (the caller
 * maps them to malformed_protobuf); a well-formed known envelope field with a non-LEN wire type means the
 * body is protobuf but not an OTLP export request, hence unknown_signal.
 */
export function walkExportRequest(body: Uint8Array, visit: ItemVisitor): void {
  const reader = protobuf.Reader.create(body);
  eachEnvelopeField(reader, reader.len, REQUEST_LEVEL, (resourceEnd) =>
    eachEnvelopeField(reader, resourceEnd, GROUP_LEVEL, (scopeEnd) =>
      eachEnvelopeField(reader, scopeEnd, GROUP_LEVEL, (itemEnd) => visit(reader, itemEnd)),
    ),
  );
}

interface EnvelopeLevel {
  /** Fields 1..lastKnownField are defined at this level, all length-delimited; higher ones are skipped as unknown. */
  readonly lastKnownField: number;
  readonly childField: number;
}

/** Export*ServiceRequest: only field 1, the Resource* list. */
const REQUEST_LEVEL: EnvelopeLevel = { lastKnownField: 1, childField: 1 };
/** Resource* and Scope*: 1 = resource/scope, 2 = children, 3 = schema_url. */
const GROUP_LEVEL: EnvelopeLevel = { lastKnownField: 3, childField: 2 };

/** Iterates one envelope level ending at `end`; entered and left with `reader.len === end`. */
function eachEnvelopeField(reader: Reader, end: number, level: EnvelopeLevel, onChild: (childEnd: number) => boolean): boolean {
  while (reader.pos < end) {
    const { field, wireType } = readTag(reader);
    if (field > level.lastKnownField) {
      reader.skipType(wireType, 0, field);
      continue;
    }
    if (wireType !== WIRE_LEN) {
      // Stepping over the value first lets broken wire data read as malformed rather than as another message.
      reader.skipType(wireType, 0, field);
      throw new OtlpDecodeError('unknown_signal', `field ${field} has wire type ${wireType} where an OTLP export request has a length-delimited field`);
    }
    const childEnd = delimitedEnd(reader);
    if (field === level.childField) {
      reader.len = childEnd;
      if (onChild(childEnd)) return true;
      reader.len = end;
    }
    reader.pos = childEnd;
  }
  return false;
}
