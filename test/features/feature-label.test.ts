import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { labelChanges } from '../../lambdas/features/feature-slug.ts';

const SCRIPT = new URL('../../bin/feature-label.ts', import.meta.url).pathname;
const WORKFLOW = new URL('../../docs/github/feature-label.yml', import.meta.url).pathname;
const run = promisify(execFile);

const scratch: string[] = [];
afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Runs the workflow's step as GitHub Actions does: the event in a file, outputs appended to another. */
async function step(event: unknown): Promise<{ output: string; stdout: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'seatmeter-feature-label-'));
  scratch.push(dir);
  writeFileSync(join(dir, 'event.json'), JSON.stringify(event));
  writeFileSync(join(dir, 'output'), '');
  const { stdout } = await run(process.execPath, ['--import', 'tsx', SCRIPT], {
    env: { ...process.env, GITHUB_EVENT_PATH: join(dir, 'event.json'), GITHUB_OUTPUT: join(dir, 'output') },
  });
  return { output: readFileSync(join(dir, 'output'), 'utf8'), stdout };
}

describe('labelChanges', () => {
  it('adds the feature label, removes other feature labels, keeps the rest', () => {
    expect(labelChanges({ branch: 'feat/checkout', body: null, labels: ['bug', 'feature/old', 'feature/checkout'] })).toEqual({ add: null, remove: ['feature/old'] });
    expect(labelChanges({ branch: 'PAY-7-x', body: null, labels: ['bug'] })).toEqual({ add: 'feature/pay-7', remove: [] });
  });

  it('leaves labels set by hand alone when no rule names a feature', () => {
    expect(labelChanges({ branch: 'fix/typo', body: null, labels: ['feature/search'] })).toEqual({ add: null, remove: [] });
  });
});

describe('the feature-label workflow step', () => {
  it('reads a pull_request event and writes the label changes to GITHUB_OUTPUT', async () => {
    const result = await step({
      action: 'edited',
      number: 42,
      pull_request: { head: { ref: 'alice/wip' }, body: 'Feature: Checkout Rewrite', labels: [{ name: 'feature/wip' }, { name: 'bug' }] },
    });
    expect(result.output).toBe('add=feature/checkout-rewrite\nremove=feature/wip\n');
    expect(result.stdout).toBe('feature label: add feature/checkout-rewrite, remove feature/wip\n');
  });

  it('fails clearly for an event that is not a pull request', async () => {
    await expect(step({ ref: 'refs/heads/main' })).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('no pull_request.head.ref') });
  });

  it('is what the shipped workflow runs, on pull request events', () => {
    const workflow = readFileSync(WORKFLOW, 'utf8');
    expect(workflow).toContain('npx tsx bin/feature-label.ts');
    expect(workflow).toMatch(/on:\n {2}pull_request:\n {4}types: \[opened, edited, reopened, synchronize\]/);
    expect(workflow).toContain('pull-requests: write');
  });
});
