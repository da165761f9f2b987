import { deflateRawSync, deflateSync, gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DECODE_LIMITS, decodeOtlpRequest } from '../../lambdas/otlp/decode.ts';
import type { DecodeLimits } from '../../lambdas/otlp/decode.ts';
import { loadCapture } from '../support/captures.ts';
import { outcomeOf } from './outcome.ts';

const MiB = 1024 * 1024;
const metrics = loadCapture('claude/claude-protobuf-delta/002-v1_metrics');
const plain = decodeOtlpRequest({ body: metrics.body, contentType: metrics.contentType }).request;

function decodeEncoded(body: Uint8Array, contentEncoding: string | undefined, limits?: Partial<DecodeLimits>): ReturnType<typeof decodeOtlpRequest> {
  return decodeOtlpRequest({ body, contentType: 'application/x-protobuf', contentEncoding }, limits);
}

describe('Content-Encoding', () => {
  it('inflates the gzip bodies Claude Code sends', () => {
    const gzipped = loadCapture('claude/claude-protobuf-delta-gzip/001-v1_logs');
    const inflated = decodeOtlpRequest({ body: gunzipSync(gzipped.body), contentType: gzipped.contentType }).request;
    expect(gzipped.contentEncoding).toBe('gzip');
    expect(decodeEncoded(gzipped.body, gzipped.contentEncoding).request).toStrictEqual(inflated);
  });

  it.each([
    ['gzip', gzipSync],
    ['GZip', gzipSync],
    ['x-gzip', gzipSync],
    ['deflate', deflateSync],
    ['deflate', deflateRawSync],
  ])('decodes a %s body', (coding, compress) => {
    expect(decodeEncoded(compress(metrics.body), coding).request).toStrictEqual(plain);
  });

  it.each([undefined, '', 'identity', ' Identity '])('takes %j as no encoding', (coding) => {
    expect(decodeEncoded(metrics.body, coding).request).toStrictEqual(plain);
  });

  it.each(['br', 'zstd', 'compress', 'gzip, br', 'gzip;q=1'])('refuses Content-Encoding %j', (coding) => {
    expect(outcomeOf(() => decodeEncoded(gzipSync(metrics.body), coding))).toBe('unsupported_encoding');
  });
});

describe('size limits', () => {
  it('has 4 MiB raw and 16 MiB decompressed defaults', () => {
    expect(DEFAULT_DECODE_LIMITS).toEqual({ maxBodyBytes: 4 * MiB, maxDecompressedBytes: 16 * MiB });
  });

  it('refuses a gzip bomb of 50 MiB of zeros without inflating it past the cap', () => {
    const bomb = gzipSync(Buffer.alloc(50 * MiB));
    expect(bomb.byteLength).toBeLessThan(DEFAULT_DECODE_LIMITS.maxBodyBytes);
    expect(outcomeOf(() => decodeEncoded(bomb, 'gzip'))).toBe('too_large');
    expect(outcomeOf(() => decodeEncoded(bomb, 'gzip', { maxDecompressedBytes: 64 * 1024 }))).toBe('too_large');
  });

  it('refuses a deflate bomb', () => {
    expect(outcomeOf(() => decodeEncoded(deflateSync(Buffer.alloc(20 * MiB)), 'deflate'))).toBe('too_large');
  });

  it('accepts a body inflating to exactly the cap and refuses one byte more', () => {
    const size = metrics.body.byteLength;
    const gzipped = gzipSync(metrics.body);
    expect(decodeEncoded(gzipped, 'gzip', { maxDecompressedBytes: size }).request).toStrictEqual(plain);
    expect(outcomeOf(() => decodeEncoded(gzipped, 'gzip', { maxDecompressedBytes: size - 1 }))).toBe('too_large');
  });

  it('caps the body as received, before inflating it', () => {
    const gzipped = gzipSync(metrics.body);
    expect(outcomeOf(() => decodeEncoded(gzipped, 'gzip', { maxBodyBytes: gzipped.byteLength - 1 }))).toBe('too_large');
    expect(decodeEncoded(gzipped, 'gzip', { maxBodyBytes: gzipped.byteLength }).bodyBytes).toBe(gzipped.byteLength);
  });

  it('applies the decompressed cap to unencoded bodies too', () => {
    expect(outcomeOf(() => decodeEncoded(metrics.body, undefined, { maxDecompressedBytes: 100 }))).toBe('too_large');
  });
});

describe('broken compression', () => {
  const gzipped = gzipSync(metrics.body);

  it.each([
    ['truncated gzip', 'gzip', gzipped.subarray(0, gzipped.byteLength - 10)],
    ['gzip cut after the header', 'gzip', gzipped.subarray(0, 12)],
    ['gzip with a corrupted block', 'gzip', Uint8Array.from(gzipped, (byte, index) => (index > 20 && index < 40 ? byte ^ 0xff : byte))],
    ['gzip with trailing garbage', 'gzip', Buffer.concat([gzipped, Buffer.from('garbage')])],
    ['an uncompressed body labelled gzip', 'gzip', metrics.body],
    ['an empty body labelled gzip', 'gzip', new Uint8Array(0)],
    ['truncated deflate', 'deflate', deflateSync(metrics.body).subarray(0, 50)],
  ])('refuses %s', (_name, coding, body) => {
    expect(outcomeOf(() => decodeEncoded(body, coding))).toBe('bad_compression');
  });
});
