import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FolderRawArchive } from '../../lambdas/archive/folder-archive.ts';
import { GZIP_PROTOBUF_METRICS, JSON_LOGS, PROTOBUF_METRICS, captureEntry, collect } from './archive-fixtures.ts';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'seatmeter-archive-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('FolderRawArchive', () => {
  it('gives back the requests of a time range in arrival order, bodies byte-identical', async () => {
    const archive = new FolderRawArchive({ dir });
    const entries = [
      captureEntry(JSON_LOGS, '2026-11-23T00:00:00.000Z', 'r-midnight'),
      captureEntry(PROTOBUF_METRICS, '2026-11-22T23:59:59.999Z', 'r-protobuf', 'équipe 42%'),
      captureEntry(GZIP_PROTOBUF_METRICS, '2026-11-22T22:10:00.000Z', 'r-gzip', null),
      captureEntry(JSON_LOGS, '2026-11-22T21:59:59.999Z', 'r-before'),
      captureEntry(JSON_LOGS, '2026-11-23T01:00:00.000Z', 'r-after'),
    ];
    const keys = [];
    for (const entry of entries) keys.push(await archive.put(entry));

    const listed = await collect(archive.list(Date.parse('2026-11-22T22:00:00Z'), Date.parse('2026-11-23T01:00:00Z')));

    expect(listed).toEqual([
      { ...entries[2], key: keys[2] },
      { ...entries[1], key: keys[1] },
      { ...entries[0], key: keys[0] },
    ]);
  });

  it('lays entries out as in S3: the gzip body under its key and the metadata beside it, no temporary files left', async () => {
    const entry = captureEntry(PROTOBUF_METRICS, '2026-11-22T10:20:13.940Z', 'r-1');

    const key = await new FolderRawArchive({ dir }).put(entry);

    expect(key).toBe('raw/dt=2026-11-22/hour=10/20261122T102013940Z-r-1.otlp');
    expect((await readdir(join(dir, 'raw/dt=2026-11-22/hour=10'))).sort()).toEqual(['20261122T102013940Z-r-1.otlp', '20261122T102013940Z-r-1.otlp.json']);
    expect(new Uint8Array(gunzipSync(await readFile(join(dir, key))))).toEqual(entry.body);
    expect(JSON.parse(await readFile(join(dir, `${key}.json`), 'utf8'))).toEqual({
      'content-type': 'application/x-protobuf',
      signal: 'metrics',
      'credential-id': 'cred-7',
      'received-at': '2026-11-22T10:20:13.940Z',
      'request-id': 'r-1',
    });
  });

  it('skips what a crashed put leaves behind: a temporary file, or a body whose metadata was never written', async () => {
    const archive = new FolderRawArchive({ dir });
    const key = await archive.put(captureEntry(JSON_LOGS, '2026-11-22T10:23:00.615Z', 'r-complete'));
    const hourDir = join(dir, 'raw/dt=2026-11-22/hour=10');
    await writeFile(join(hourDir, '20261122T102000000Z-r-orphan.otlp'), 'partial');
    await writeFile(join(hourDir, '20261122T102100000Z-r-torn.otlp.json.5b1c.tmp'), '{');

    const listed = await collect(archive.list(Date.parse('2026-11-22T10:00:00Z'), Date.parse('2026-11-22T11:00:00Z')));

    expect(listed.map((request) => request.key)).toEqual([key]);
  });

  it('lists nothing from an empty folder', async () => {
    expect(await collect(new FolderRawArchive({ dir: join(dir, 'absent') }).list(0, Date.parse('1970-01-02T00:00:00Z')))).toEqual([]);
  });
});
