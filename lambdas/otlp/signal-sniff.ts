/**
 * Tells an ExportMetrics/Logs/TraceServiceRequest apart from its bytes alone. The three are identical
 * down to the items (Metric / LogRecord / Span), so the decision rests on the items' fields:
 *
 * 1. Wire types. Each signal rules itself out as soon as an item carries one of its field numbers with
 *    another wire type (a Metric's field 1 is LEN, a LogRecord's is fixed64, …). Field numbers a signal
 *    does not define are neutral, so newer spec fields do not break detection. One signal left: done.
 *    None left: not OTLP (unknown_signal), which also refuses items contradicting the ones read before.
 * 2. Spec requirements, only while several signals still fit: a Span must carry its 16-byte trace id and
 *    8-byte span id; a Metric must carry a name that is printable UTF-8; a LogRecord's ids, when set,
 *    have those same sizes; string fields hold UTF-8 and message fields parse as messages. Signals that
 *    fail are dropped, unless that would drop all of them.
 * 3. Still more than one: read the next item, keeping only signals that fit every item so far. Items
 *    after the deciding one are not scanned here; the full decode reads them as that signal.
 * 4. Items exhausted and still tied (the bytes are a valid request of more than one signal): the path's
 *    signal if it is among them, else SIGNAL_PRIORITY. No items at all: see chooseSignal.
 *
 * Every real exporter item is decided by step 1 or 2 on the first item: log records carry times or a
 * severity, spans carry times and ids, metrics carry a name that is not an id-sized blob.
 */
import { isUtf8 } from 'node:buffer';
import protobuf from 'protobufjs/minimal.js';
import type { Reader } from 'protobufjs';
import { OtlpDecodeError } from './errors.ts';
import { WIRE_FIXED32, WIRE_FIXED64, WIRE_LEN, WIRE_VARINT, delimitedEnd, readTag, walkExportRequest } from './protobuf-envelope.ts';
import { chooseSignal } from './signal-choice.ts';
import type { Signal } from './types.ts';

/** The last occurrence of each length-delimited field of an item (the one a decoder would keep). */
type DelimitedFields = ReadonlyMap<number, Uint8Array>;

interface ItemShape {
  readonly signal: Signal;
  readonly bit: number;
  /** Field number → wire type, for every field the item message defines. */
  readonly wireTypes: ReadonlyMap<number, number>;
  readonly meetsSpec: (fields: DelimitedFields) => boolean;
}

// In SIGNAL_PRIORITY order, so filtering this list yields candidates in the order chooseSignal expects.
const SHAPES: readonly ItemShape[] = [
  {
    signal: 'metrics',
    bit: 1,
    // name, description, unit, gauge, sum, histogram, exponential_histogram, summary, metadata
    wireTypes: wireTypes([1, WIRE_LEN], [2, WIRE_LEN], [3, WIRE_LEN], [5, WIRE_LEN], [7, WIRE_LEN], [9, WIRE_LEN], [10, WIRE_LEN], [11, WIRE_LEN], [12, WIRE_LEN]),
    meetsSpec: (f) => isName(f.get(1)) && isText(f.get(2)) && isText(f.get(3)) && [5, 7, 9, 10, 11, 12].every((n) => isMessage(f.get(n))),
  },
  {
    signal: 'logs',
    bit: 2,
    // time, severity_number, severity_text, body, attributes, dropped_attributes_count, flags, trace_id, span_id, observed_time, event_name
    wireTypes: wireTypes([1, WIRE_FIXED64], [2, WIRE_VARINT], [3, WIRE_LEN], [5, WIRE_LEN], [6, WIRE_LEN], [7, WIRE_VARINT], [8, WIRE_FIXED32], [9, WIRE_LEN], [10, WIRE_LEN], [11, WIRE_FIXED64], [12, WIRE_LEN]),
    meetsSpec: (f) =>
      isUnsetOrSized(f.get(9), 16) && isUnsetOrSized(f.get(10), 8) && isText(f.get(3)) && isText(f.get(12)) && isMessage(f.get(5)) && isMessage(f.get(6)),
  },
  {
    signal: 'traces',
    bit: 4,
    // trace_id, span_id, trace_state, parent_span_id, name, kind, start, end, attributes, dropped_attributes_count,
    // events, dropped_events_count, links, dropped_links_count, status, flags
    wireTypes: wireTypes(
      [1, WIRE_LEN], [2, WIRE_LEN], [3, WIRE_LEN], [4, WIRE_LEN], [5, WIRE_LEN], [6, WIRE_VARINT], [7, WIRE_FIXED64], [8, WIRE_FIXED64],
      [9, WIRE_LEN], [10, WIRE_VARINT], [11, WIRE_LEN], [12, WIRE_VARINT], [13, WIRE_LEN], [14, WIRE_VARINT], [15, WIRE_LEN], [16, WIRE_FIXED32],
    ),
    meetsSpec: (f) =>
      f.get(1)?.length === 16 && f.get(2)?.length === 8 && isUnsetOrSized(f.get(4), 8) && isText(f.get(3)) && isText(f.get(5)) &&
      [9, 11, 13, 15].every((n) => isMessage(f.get(n))),
  },
];

const ALL_SIGNALS = SHAPES.reduce((mask, shape) => mask | shape.bit, 0);

/** The signal of a protobuf export request body. Throws unknown_signal, or protobufjs errors for broken wire data. */
export function sniffProtobufSignal(body: Uint8Array, hint: Signal | undefined): Signal {
  let possible = ALL_SIGNALS;
  let items = 0;
  walkExportRequest(body, (reader, itemEnd) => {
    items += 1;
    const { fits, delimited } = scanItem(reader, itemEnd, possible);
    if (fits === 0) {
      throw new OtlpDecodeError('unknown_signal', `item ${items} is neither a Metric, a LogRecord nor a Span of the same kind as the items before it`);
    }
    possible = fits;
    if (isSingleSignal(possible)) return true;
    const meetingSpec = SHAPES.reduce((mask, shape) => ((fits & shape.bit) !== 0 && shape.meetsSpec(delimited) ? mask | shape.bit : mask), 0);
    if (meetingSpec !== 0) possible = meetingSpec;
    return isSingleSignal(possible);
  });
  const candidates = items === 0 ? [] : SHAPES.filter((shape) => (possible & shape.bit) !== 0).map((shape) => shape.signal);
  return chooseSignal(candidates, hint);
}

function scanItem(reader: Reader, itemEnd: number, possible: number): { fits: number; delimited: Map<number, Uint8Array> } {
  let fits = possible;
  const delimited = new Map<number, Uint8Array>();
  while (reader.pos < itemEnd) {
    const { field, wireType } = readTag(reader);
    for (const shape of SHAPES) {
      const expected = shape.wireTypes.get(field);
      if (expected !== undefined && expected !== wireType) fits &= ~shape.bit;
    }
    if (wireType === WIRE_LEN) {
      const valueEnd = delimitedEnd(reader);
      delimited.set(field, reader.buf.subarray(reader.pos, valueEnd));
      reader.pos = valueEnd;
    } else {
      reader.skipType(wireType, 0, field);
    }
  }
  return { fits, delimited };
}

function isSingleSignal(mask: number): boolean {
  return (mask & (mask - 1)) === 0;
}

function wireTypes(...entries: [field: number, wireType: number][]): ReadonlyMap<number, number> {
  return new Map(entries);
}

function isText(value: Uint8Array | undefined): boolean {
  return value === undefined || isUtf8(value);
}

/** Metric names are required and, per the instrument name syntax, plain text: a random id almost never is. */
function isName(value: Uint8Array | undefined): boolean {
  return value !== undefined && value.length > 0 && isUtf8(value) && !value.some((byte) => byte < 0x20 || byte === 0x7f);
}

/** Trace and span ids are fixed-size when set; proto3 leaves them out (or, from some encoders, empty) when not. */
function isUnsetOrSized(value: Uint8Array | undefined, size: number): boolean {
  return value === undefined || value.length === 0 || value.length === size;
}

function isMessage(value: Uint8Array | undefined): boolean {
  if (value === undefined) return true;
  const reader = protobuf.Reader.create(value);
  try {
    while (reader.pos < reader.len) {
      const { field, wireType } = readTag(reader);
      reader.skipType(wireType, 0, field);
    }
    return true;
  } catch {
    return false;
  }
}
