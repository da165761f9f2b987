import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stop } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleReceiver } from '../../bin/bench/receiver-bundle.ts';
import { coldStart, installRunner } from '../../bin/bench/receiver-cold-start.ts';
import { exportEvent, probeExportEvent, probeReadEvent, SECRET } from '../../bin/bench/receiver-events.ts';
import { RECEIVER_BUNDLE } from '../../lib/lambda-bundling.ts';
import { startFakeAws } from '../support/fake-aws.ts';
import type { FakeAws } from '../support/fake-aws.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'seatmeter-bundle-'));
const PROBE_SESSION = 'doctor-bundle-test';
let aws: FakeAws;

beforeAll(async () => {
  await bundleReceiver(ROOT, dir, { name: 'deployed', external: RECEIVER_BUNDLE.external, requireBanner: true });
  await stop();
  aws = await startFakeAws(SECRET);
}, 60_000);

afterAll(async () => {
  await aws.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs one request in a fresh process, as the first invocation after a cold start; the AWS calls it made. */
async function firstInvocation(event: string): Promise<string[]> {
  aws.takeOperations();
  // The runner answers an error unless the handler answered 200.
  expect(await coldStart({ dir, event }, aws.url)).toMatchObject({ ok: true });
  return aws.takeOperations();
}

describe('the receiver bundle built from RECEIVER_BUNDLE, each request in a fresh process', () => {
  it('loads from a folder holding nothing else and stores a Claude Code delta export through its own AWS SDK, with no series state', async () => {
    expect(readdirSync(dir, { recursive: true }).sort()).toEqual(['lambdas', 'lambdas/receiver', 'lambdas/receiver/index.mjs']);
    installRunner(dir, { delta: exportEvent('claude/claude-protobuf-delta/002-v1_metrics') });
    expect(await firstInvocation('delta')).toEqual([
      'secretsmanager.GetSecretValue',
      // The team map, before the records are stamped: none published yet.
      'S3.GetObject',
      'Timestream_20181101.DescribeEndpoints',
      'Timestream_20181101.WriteRecords',
      // The budgets' ledger cell, then a late mark: the capture's minutes ended long ago.
      'DynamoDB_20120810.PutItem',
      'DynamoDB_20120810.PutItem',
      'S3.PutObject',
    ]);
  });

  it('derives the deltas of a cumulative export through the state table, its client built on first use', async () => {
    installRunner(dir, { cumulative: exportEvent('claude/claude-protobuf-cumulative/002-v1_metrics') });
    expect(await firstInvocation('cumulative')).toEqual([
      'secretsmanager.GetSecretValue',
      // The lease on the export's one scope, then the baselines: none stored yet.
      'DynamoDB_20120810.PutItem',
      'DynamoDB_20120810.BatchGetItem',
      'S3.GetObject',
      'Timestream_20181101.DescribeEndpoints',
      'Timestream_20181101.WriteRecords',
      // The ledger cell and its late mark.
      'DynamoDB_20120810.PutItem',
      'DynamoDB_20120810.PutItem',
      // A new baseline for each of its 7 series, stored only after the records; then the lease is released.
      ...Array.from({ length: 7 }, () => 'DynamoDB_20120810.PutItem'),
      'DynamoDB_20120810.DeleteItem',
      'S3.PutObject',
    ]);
  });

  it("reads doctor's probe back from Timestream, its query client built on first use", async () => {
    installRunner(dir, { probe: probeExportEvent(PROBE_SESSION, Date.now()), 'read-back': probeReadEvent(PROBE_SESSION) });
    await firstInvocation('probe');
    // 200, not 404: the fake's query counts what the probe export wrote.
    expect(await firstInvocation('read-back')).toEqual(['secretsmanager.GetSecretValue', 'Timestream_20181101.DescribeEndpoints', 'Timestream_20181101.Query']);
  });
});
