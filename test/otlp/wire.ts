/** Hand-assembled protobuf wire data, for messages no well-behaved encoder would produce. */

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;

export function varintBytes(value: number): Uint8Array {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return Uint8Array.from(bytes);
}

export function concat(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((size, part) => size + part.length, 0));
  parts.reduce((offset, part) => {
    out.set(part, offset);
    return offset + part.length;
  }, 0);
  return out;
}

export function tag(field: number, wireType: number): Uint8Array {
  return varintBytes(field * 8 + wireType);
}

export function lenField(field: number, value: Uint8Array | string): Uint8Array {
  const bytes = typeof value === 'string' ? new TextEncoder().encode(value) : value;
  return concat(tag(field, WIRE_LEN), varintBytes(bytes.length), bytes);
}

export function varintField(field: number, value: number): Uint8Array {
  return concat(tag(field, WIRE_VARINT), varintBytes(value));
}

export function fixed64Field(field: number, value: bigint): Uint8Array {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, value, true);
  return concat(tag(field, WIRE_FIXED64), bytes);
}

/** An export request (of whichever signal the items are) with one resource and one scope holding `items`. */
export function exportRequest(...items: readonly Uint8Array[]): Uint8Array {
  return lenField(1, lenField(2, concat(...items.map((item) => lenField(2, item)))));
}
