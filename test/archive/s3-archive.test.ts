import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import type { GetObjectCommandInput, GetObjectCommandOutput, ListObjectsV2CommandInput, ListObjectsV2CommandOutput, PutObjectCommandInput } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { S3RawArchive } from '../../lambdas/archive/s3-archive.ts';
import type { S3RawArchiveOptions } from '../../lambdas/archive/s3-archive.ts';
import { GZIP_PROTOBUF_METRICS, JSON_LOGS, PROTOBUF_METRICS, captureEntry, collect } from './archive-fixtures.ts';

const s3 = mockClient(S3Client);
const BUCKET = 'seatmeter-raw';

afterEach(() => {
  s3.reset();
});

function archive(options: Partial<S3RawArchiveOptions> = {}): S3RawArchive {
  return new S3RawArchive({ client: new S3Client({ region: 'eu-west-1' }), bucket: BUCKET, ...options });
}

/** GetObject's body: the SDK's stream mixin reduced to the one method the archive calls. */
function objectBody(bytes: Uint8Array): GetObjectCommandOutput['Body'] {
  return { transformToByteArray: async () => bytes } as unknown as GetObjectCommandOutput['Body'];
}

/** Backs the mock with a bucket: GetObject and ListObjectsV2 answer from what PutObject received. */
function backWithBucket(): Map<string, PutObjectCommandInput> {
  const objects = new Map<string, PutObjectCommandInput>();
  s3.on(PutObjectCommand).callsFake((input: PutObjectCommandInput) => {
    objects.set(String(input.Key), input);
    return {};
  });
  s3.on(GetObjectCommand).callsFake((input: GetObjectCommandInput) => {
    const object = objects.get(String(input.Key));
    return { Body: objectBody(object?.Body as Uint8Array), Metadata: object?.Metadata };
  });
  s3.on(ListObjectsV2Command).callsFake(
    (input: ListObjectsV2CommandInput): ListObjectsV2CommandOutput => ({
      Contents: [...objects.keys()].filter((key) => key.startsWith(String(input.Prefix))).sort().map((Key) => ({ Key })),
      IsTruncated: false,
      $metadata: {},
    }),
  );
  return objects;
}

describe('S3RawArchive.put', () => {
  it('stores an uncompressed body gzipped, with the request details as ASCII user metadata', async () => {
    s3.on(PutObjectCommand).resolves({});
    const entry = captureEntry(PROTOBUF_METRICS, '2026-11-22T10:20:13.940Z', 'JvC8ZhxxoAMEJ7Q=', 'équipe/7');

    const key = await archive().put(entry);

    expect(key).toBe('raw/dt=2026-11-22/hour=10/20261122T102013940Z-JvC8ZhxxoAMEJ7Q=.otlp');
    const input = s3.commandCalls(PutObjectCommand)[0]?.args[0].input;
    expect(input).toEqual({
      Bucket: BUCKET,
      Key: key,
      Body: expect.any(Uint8Array),
      ContentType: 'application/x-protobuf',
      ContentEncoding: 'gzip',
      Metadata: {
        'content-type': 'application/x-protobuf',
        signal: 'metrics',
        'credential-id': '%C3%A9quipe/7',
        'received-at': '2026-11-22T10:20:13.940Z',
        'request-id': 'JvC8ZhxxoAMEJ7Q=',
      },
    });
    const stored = input?.Body as Uint8Array;
    expect([...stored.subarray(0, 2)]).toEqual([0x1f, 0x8b]);
    expect(new Uint8Array(gunzipSync(stored))).toEqual(entry.body);
    expect(stored.byteLength).toBeLessThan(entry.body.byteLength);
  });

  it('stores a body that arrived gzipped as it came, and remembers that it did', async () => {
    s3.on(PutObjectCommand).resolves({});
    const entry = captureEntry(GZIP_PROTOBUF_METRICS, '2026-11-22T10:24:32.696Z', 'r-gzip', null);

    await archive({ prefix: 'archive/raw/' }).put(entry);

    expect(s3.commandCalls(PutObjectCommand)[0]?.args[0].input).toEqual({
      Bucket: BUCKET,
      Key: 'archive/raw/dt=2026-11-22/hour=10/20261122T102432696Z-r-gzip.otlp',
      Body: entry.body,
      ContentType: 'application/x-protobuf',
      ContentEncoding: 'gzip',
      Metadata: {
        'content-type': 'application/x-protobuf',
        'content-encoding': 'gzip',
        signal: 'metrics',
        'received-at': '2026-11-22T10:24:32.696Z',
        'request-id': 'r-gzip',
      },
    });
  });

  it('propagates a failed upload, so the receiver answers 503 instead of 200', async () => {
    s3.on(PutObjectCommand).rejects(new S3ServiceException({ name: 'ServiceUnavailable', $fault: 'server', message: 'Please reduce your request rate.', $metadata: {} }));
    await expect(archive().put(captureEntry(PROTOBUF_METRICS, '2026-11-22T10:20:13.940Z', 'r'))).rejects.toThrow('Please reduce your request rate.');
  });
});

describe('S3RawArchive.list', () => {
  it('gives back byte-identical bodies and the exact request details, whatever the original encoding', async () => {
    backWithBucket();
    const entries = [
      captureEntry(PROTOBUF_METRICS, '2026-11-22T10:20:13.940Z', 'r-protobuf', 'équipe 42%'),
      captureEntry(GZIP_PROTOBUF_METRICS, '2026-11-22T10:24:32.696Z', 'r/gzip', null),
      captureEntry(JSON_LOGS, '2026-11-22T10:23:00.615Z', 'r-json'),
    ];
    const keys = await Promise.all(entries.map((entry) => archive().put(entry)));

    const listed = await collect(archive().list(Date.parse('2026-11-22T10:00:00Z'), Date.parse('2026-11-22T11:00:00Z')));

    expect(listed).toEqual([
      { ...entries[0], key: keys[0] },
      { ...entries[2], key: keys[2] },
      { ...entries[1], key: keys[1] },
    ]);
  });

  it('walks the hour prefixes of a range across midnight, follows continuation tokens, and fetches only keys inside the range', async () => {
    const objects = backWithBucket();
    const times = ['2026-11-22T23:10:00.000Z', '2026-11-22T23:30:00.000Z', '2026-11-22T23:59:59.999Z', '2026-11-23T00:15:00.000Z', '2026-11-23T01:29:59.999Z', '2026-11-23T01:30:00.000Z'];
    const keys = await Promise.all(times.map((time, index) => archive().put(captureEntry(JSON_LOGS, time, `r${index}`))));
    const pages: Record<string, Omit<ListObjectsV2CommandOutput, '$metadata'>> = {
      'raw/dt=2026-11-22/hour=23/ ': { Contents: [{ Key: keys[0] }, { Key: keys[1] }], IsTruncated: true, NextContinuationToken: 'page-2' },
      'raw/dt=2026-11-22/hour=23/ page-2': { Contents: [{ Key: keys[2] }], IsTruncated: false },
      'raw/dt=2026-11-23/hour=00/ ': { Contents: [{ Key: keys[3] }], IsTruncated: false },
      'raw/dt=2026-11-23/hour=01/ ': { Contents: [{ Key: keys[4] }, { Key: keys[5] }], IsTruncated: false },
    };
    s3.on(ListObjectsV2Command).callsFake((input: ListObjectsV2CommandInput) => pages[`${input.Prefix} ${input.ContinuationToken ?? ''}`]);

    const listed = await collect(archive().list(Date.parse('2026-11-22T23:30:00Z'), Date.parse('2026-11-23T01:30:00Z')));

    expect(listed.map((request) => [request.key, request.requestId])).toEqual([
      [keys[1], 'r1'],
      [keys[2], 'r2'],
      [keys[3], 'r3'],
      [keys[4], 'r4'],
    ]);
    expect(s3.commandCalls(ListObjectsV2Command).map((call) => call.args[0].input)).toEqual([
      { Bucket: BUCKET, Prefix: 'raw/dt=2026-11-22/hour=23/' },
      { Bucket: BUCKET, Prefix: 'raw/dt=2026-11-22/hour=23/', ContinuationToken: 'page-2' },
      { Bucket: BUCKET, Prefix: 'raw/dt=2026-11-23/hour=00/' },
      { Bucket: BUCKET, Prefix: 'raw/dt=2026-11-23/hour=01/' },
    ]);
    expect(s3.commandCalls(GetObjectCommand).map((call) => call.args[0].input)).toEqual(keys.slice(1, 5).map((Key) => ({ Bucket: BUCKET, Key })));
    expect(objects.size).toBe(6);
  });

  it('propagates a failed read instead of skipping the request', async () => {
    backWithBucket();
    await archive().put(captureEntry(JSON_LOGS, '2026-11-22T10:23:00.615Z', 'r'));
    s3.on(GetObjectCommand).rejects(new Error('AccessDenied'));

    await expect(collect(archive().list(Date.parse('2026-11-22T10:00:00Z'), Date.parse('2026-11-22T11:00:00Z')))).rejects.toThrow('AccessDenied');
  });
});
