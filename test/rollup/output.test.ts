import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { RollupInputError } from '../../lambdas/rollup/errors.ts';
import { FolderRollupOutput } from '../../lambdas/rollup/output/folder-output.ts';
import { S3RollupOutput } from '../../lambdas/rollup/output/s3-output.ts';
import type { RollupFile } from '../../lambdas/rollup/output/types.ts';

const s3 = mockClient(S3Client);
afterEach(() => s3.reset());

const file = (key: string, text: string): RollupFile => ({ key, body: new TextEncoder().encode(text), contentType: 'application/json' });

describe('rollup outputs', () => {
  it('replaces a day in a folder, leaving no temporary file behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seatmeter-rollup-out-'));
    const output = new FolderRollupOutput(dir);
    await output.writeDay([file('team_usage/dt=2026-11-22/part-0.parquet', 'first'), file('team_map/latest.json', '{}')]);
    await output.writeDay([file('team_usage/dt=2026-11-22/part-0.parquet', 'second')]);
    expect(readFileSync(join(dir, 'team_usage/dt=2026-11-22/part-0.parquet'), 'utf8')).toBe('second');
    expect(readdirSync(join(dir, 'team_usage/dt=2026-11-22'))).toEqual(['part-0.parquet']);
  });

  it('fails when the folder cannot be written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seatmeter-rollup-out-'));
    writeFileSync(join(dir, 'team_usage'), 'a file where the table folder should be');
    await expect(new FolderRollupOutput(dir).writeDay([file('team_usage/dt=2026-11-22/part-0.parquet', 'x')])).rejects.toThrow(/EEXIST|ENOTDIR/);
  });

  it('puts each file in the team bucket under the prefix, in order, with its content type', async () => {
    s3.on(PutObjectCommand).resolves({});
    const output = new S3RollupOutput({ client: new S3Client({ region: 'eu-west-1' }), bucket: 'team-bucket', prefix: 'seatmeter/' });
    await output.writeDay([file('team_usage/dt=2026-11-22/part-0.parquet', 'a'), file('team_map/latest.json', 'b')]);
    expect(s3.commandCalls(PutObjectCommand).map((call) => [call.args[0].input.Bucket, call.args[0].input.Key, call.args[0].input.ContentType])).toEqual([
      ['team-bucket', 'seatmeter/team_usage/dt=2026-11-22/part-0.parquet', 'application/json'],
      ['team-bucket', 'seatmeter/team_map/latest.json', 'application/json'],
    ]);
  });

  it('stops at the first failed put, so the run fails and is retried', async () => {
    s3.on(PutObjectCommand).rejectsOnce(new Error('AccessDenied')).resolves({});
    const output = new S3RollupOutput({ client: new S3Client({ region: 'eu-west-1' }), bucket: 'team-bucket' });
    await expect(output.writeDay([file('a', 'a'), file('b', 'b')])).rejects.toThrow('AccessDenied');
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(1);
  });

  it('refuses a prefix that would run into the table names', () => {
    expect(() => new S3RollupOutput({ client: new S3Client({ region: 'eu-west-1' }), bucket: 'b', prefix: 'seatmeter' })).toThrow(RollupInputError);
  });
});
