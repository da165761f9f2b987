/** Entry point: an OTLP/HTTP request body and its headers → the wire-neutral model. */
import { Buffer } from 'node:buffer';
import { decodeContent, parseContentEncoding } from './compression.ts';
import { OtlpDecodeError } from './errors.ts';
import { decodeJsonRequest } from './json-request.ts';
import { parseContentType } from './media-type.ts';
import type { OtlpEncoding } from './media-type.ts';
import { signalFromPath } from './path-hint.ts';
import { decodeProtobufRequest } from './protobuf-request.ts';
import type { DecodedRequest } from './types.ts';

export interface RawOtlpRequest {
  readonly body: Uint8Array;
  readonly contentType?: string | undefined;
  /** The Content-Type as parseContentType read it, when the caller already did: it is not parsed again. */
  readonly encoding?: OtlpEncoding | undefined;
  readonly contentEncoding?: string | undefined;
  /** The request path; consulted only for requests whose body does not settle the signal. */
  readonly pathHint?: string | undefined;
}

export interface DecodeLimits {
  /** Cap on the body as received (compressed or not). */
  readonly maxBodyBytes: number;
  /** Cap on the body after Content-Encoding is undone; enforced while inflating. */
  readonly maxDecompressedBytes: number;
}

export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
export const DEFAULT_MAX_DECOMPRESSED_BYTES = 16 * 1024 * 1024;
export const DEFAULT_DECODE_LIMITS: DecodeLimits = {
  maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
  maxDecompressedBytes: DEFAULT_MAX_DECOMPRESSED_BYTES,
};

export interface DecodedOtlpRequest {
  readonly request: DecodedRequest;
  /** The body encoding, which the response must use too. */
  readonly encoding: OtlpEncoding;
  /** Size of the body as received, before decompression. */
  readonly bodyBytes: number;
  /** The body with its Content-Encoding undone: what the archive redacts, so nothing inflates it twice. */
  readonly payload: Uint8Array;
}

/**
 * Limits left out take their DEFAULT_DECODE_LIMITS value. Throws OtlpDecodeError, and only that, for
 * anything a client could send wrong.
 */
export function decodeOtlpRequest(input: RawOtlpRequest, limits: Partial<DecodeLimits> = {}): DecodedOtlpRequest {
  const maxBodyBytes = limits.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const maxDecompressedBytes = limits.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES;
  const encoding = input.encoding ?? parseContentType(input.contentType);
  const coding = parseContentEncoding(input.contentEncoding);
  const bodyBytes = input.body.byteLength;
  if (bodyBytes > maxBodyBytes) {
    throw new OtlpDecodeError('too_large', `body of ${bodyBytes} bytes exceeds the ${maxBodyBytes}-byte limit`);
  }
  const payload = asBuffer(decodeContent(input.body, coding, maxDecompressedBytes));
  const hint = signalFromPath(input.pathHint);
  const request = encoding === 'protobuf' ? decodeProtobufRequest(payload, hint) : decodeJsonRequest(payload, hint);
  return { request, encoding, bodyBytes, payload };
}

/** protobufjs reads strings from a Node Buffer natively and from a bare Uint8Array in JS; a view costs no copy. */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
