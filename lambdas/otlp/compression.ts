import { gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import { OtlpDecodeError } from './errors.ts';

export type ContentCoding = 'identity' | 'gzip' | 'deflate';

/** Maps a Content-Encoding header to a supported coding; absent or empty means identity. */
export function parseContentEncoding(header: string | undefined): ContentCoding {
  const coding = (header ?? '').trim().toLowerCase();
  if (coding === '' || coding === 'identity') return 'identity';
  // RFC 9110 §8.4.1.3: x-gzip is to be treated as gzip.
  if (coding === 'gzip' || coding === 'x-gzip') return 'gzip';
  if (coding === 'deflate') return 'deflate';
  throw new OtlpDecodeError('unsupported_encoding', `unsupported Content-Encoding "${coding}"; expected gzip, deflate or identity`);
}

/**
 * Undoes the content coding. zlib's maxOutputLength aborts inflation as soon as the output would pass
 * the cap, so a compression bomb costs at most `maxBytes` plus one zlib chunk of memory.
 */
export function decodeContent(body: Uint8Array, coding: ContentCoding, maxBytes: number): Uint8Array {
  if (coding === 'identity') {
    if (body.byteLength > maxBytes) throw tooLarge(maxBytes);
    return body;
  }
  const options = { maxOutputLength: maxBytes };
  try {
    if (coding === 'gzip') return gunzipSync(body, options);
    return hasZlibHeader(body) ? inflateSync(body, options) : inflateRawSync(body, options);
  } catch (error) {
    if (isBufferTooLarge(error)) throw tooLarge(maxBytes);
    throw new OtlpDecodeError('bad_compression', `${coding} body could not be decompressed: ${messageOf(error)}`, { cause: error });
  }
}

/**
 * HTTP "deflate" means a zlib stream (RFC 9110 §8.4.1.2), but some senders use raw DEFLATE; the two
 * are told apart by the zlib header: compression method 8 and a header checksum divisible by 31.
 */
function hasZlibHeader(body: Uint8Array): boolean {
  const cmf = body[0];
  const flg = body[1];
  return cmf !== undefined && flg !== undefined && (cmf & 0x0f) === 8 && ((cmf << 8) | flg) % 31 === 0;
}

function isBufferTooLarge(error: unknown): boolean {
  return error instanceof RangeError && (error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE';
}

function tooLarge(maxBytes: number): OtlpDecodeError {
  return new OtlpDecodeError('too_large', `decompressed body exceeds ${maxBytes} bytes`);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
