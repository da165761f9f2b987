import { describe, expect, it } from 'vitest';
import { archiveMetadata, asciiValue, describedRequest, textValue } from '../../lambdas/archive/metadata.ts';

describe('archive metadata', () => {
  it('percent-escapes what HTTP headers cannot carry, and only that, reversibly', () => {
    const values = ['application/x-protobuf', 'équipe 42%', ' padded ', 'line\nbreak', '日本 🚀', '%41'];
    expect(values.map(asciiValue)).toEqual(['application/x-protobuf', '%C3%A9quipe%2042%25', '%20padded%20', 'line%0Abreak', '%E6%97%A5%E6%9C%AC%20%F0%9F%9A%80', '%2541']);
    expect(values.map(asciiValue).map(textValue)).toEqual(values);
  });

  it('records an absent encoding and credential by leaving the fields out', () => {
    const metadata = archiveMetadata({
      body: new Uint8Array(),
      contentType: 'application/json',
      contentEncoding: undefined,
      signal: 'traces',
      credentialId: null,
      receivedAtMs: Date.parse('2026-11-22T10:00:00.250Z'),
      requestId: 'r-1',
    });
    expect(metadata).toEqual({ 'content-type': 'application/json', signal: 'traces', 'received-at': '2026-11-22T10:00:00.250Z', 'request-id': 'r-1' });
    expect(describedRequest('k', metadata)).toEqual({
      key: 'k',
      contentType: 'application/json',
      contentEncoding: undefined,
      signal: 'traces',
      credentialId: null,
      receivedAtMs: Date.parse('2026-11-22T10:00:00.250Z'),
      requestId: 'r-1',
    });
  });

  it('refuses metadata it did not write rather than replaying a guess', () => {
    const valid = { 'content-type': 'application/json', signal: 'logs', 'received-at': '2026-11-22T10:00:00.000Z', 'request-id': 'r' };
    expect(() => describedRequest('k', { ...valid, signal: 'profiles' })).toThrow('archived request k has no valid signal metadata');
    expect(() => describedRequest('k', { ...valid, 'received-at': 'yesterday' })).toThrow('archived request k has no valid received-at metadata');
    expect(() => describedRequest('k', { signal: 'logs', 'received-at': valid['received-at'], 'request-id': 'r' })).toThrow('archived request k lacks the content-type metadata');
  });
});
