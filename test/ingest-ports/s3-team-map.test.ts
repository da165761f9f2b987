import { GetObjectCommand, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { S3TeamMap } from '../../lambdas/ingest-ports/s3-team-map.ts';

const s3 = mockClient(S3Client);
beforeEach(() => s3.reset());
afterAll(() => s3.restore());

const body = (users: Record<string, string>) => ({ Body: { transformToString: async () => JSON.stringify({ version: 1, users }) } }) as never;

function teamMap(clock: { now: number }, stale: unknown[] = []) {
  return new S3TeamMap({ client: new S3Client({}), bucket: 'rollup', key: 'team_map/latest.json', refreshMs: 60_000, now: () => clock.now, onStale: (error) => void stale.push(error) });
}

describe('S3TeamMap', () => {
  it('reads the map once per refresh interval', async () => {
    s3.on(GetObjectCommand).resolvesOnce(body({ 'Dev@Example.com': 'payments' })).resolves(body({ 'dev@example.com': 'search' }));
    const clock = { now: 0 };
    const map = teamMap(clock);
    expect((await map.current()).teamOf('dev@example.com')).toBe('payments');
    clock.now = 59_999;
    expect((await map.current()).teamOf('dev@example.com')).toBe('payments');
    clock.now = 60_000;
    expect((await map.current()).teamOf('dev@example.com')).toBe('search');
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(2);
  });

  it('is no teams before the rollup has published one: everyone with an identity is unassigned', async () => {
    s3.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'The specified key does not exist.', $metadata: {} }));
    const map = await teamMap({ now: 0 }).current();
    expect([map.teamOf('dev@example.com'), map.teamOf(null)]).toEqual(['unassigned', null]);
  });

  it('keeps the map it has when a refresh fails, and fails when it has none', async () => {
    s3.on(GetObjectCommand).resolvesOnce(body({ 'dev@example.com': 'payments' })).rejects(new Error('SlowDown'));
    const clock = { now: 0 };
    const stale: unknown[] = [];
    const map = teamMap(clock, stale);
    await map.current();
    clock.now = 120_000;
    expect((await map.current()).teamOf('dev@example.com')).toBe('payments');
    expect(String(stale[0])).toContain('SlowDown');
    await expect(teamMap({ now: 0 }).current()).rejects.toThrow('SlowDown');
  });

  it('fails on a map that does not parse, naming the object', async () => {
    s3.on(GetObjectCommand).resolves({ Body: { transformToString: async () => '{"users": []}' } } as never);
    await expect(teamMap({ now: 0 }).current()).rejects.toThrow('s3://rollup/team_map/latest.json must hold {"users": {"<email>": "<team>"}}');
  });
});
