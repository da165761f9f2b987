import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stop } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleReceiver } from '../../bin/bench/receiver-bundle.ts';
import { coldStart, installRunner } from '../../bin/bench/receiver-cold-start.ts';
import { exportEvent, SECRET } from '../../bin/bench/receiver-warm.ts';
import { RECEIVER_BUNDLE } from '../../lib/lambda-bundling.ts';
import { startFakeAws } from '../support/fake-aws.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'seatmeter-bundle-'));

afterAll(async () => {
  await stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the receiver bundle built from RECEIVER_BUNDLE', () => {
  it('loads from a folder holding nothing else and stores a Claude Code export through its own AWS SDK', { timeout: 60_000 }, async () => {
    await bundleReceiver(ROOT, dir, { name: 'deployed', external: RECEIVER_BUNDLE.external, requireBanner: true });
    expect(readdirSync(dir, { recursive: true }).sort()).toEqual(['lambdas', 'lambdas/receiver', 'lambdas/receiver/index.mjs']);
    installRunner(dir, exportEvent('claude/claude-protobuf-delta/002-v1_metrics'));
    const aws = await startFakeAws(SECRET);
    try {
      // The runner answers an error unless the handler answered 200.
      expect(await coldStart(dir, aws.url)).toMatchObject({ ok: true });
      expect(aws.takeOperations()).toEqual([
        'secretsmanager.GetSecretValue',
        'Timestream_20181101.DescribeEndpoints',
        'Timestream_20181101.WriteRecords',
        'S3.PutObject',
      ]);
    } finally {
      await aws.close();
    }
  });
});
