/**
 * Cold-start module init of a bundled receiver: each sample is a fresh `node` process running a two-line
 * runner that reads `performance.now()` (milliseconds since the process's time origin, taken early in
 * Node's startup) just before and just after `await import(bundle)`. The difference is the module's init:
 * reading, parsing and compiling the bundle and running its top level (clients created, schemas and the
 * price book loaded). The first reading is Node's own bootstrap, reported apart and left out of the goal.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUNDLE_PATH } from './receiver-bundle.ts';
import { median } from './receiver-report.ts';

const RUNNER = 'runner.mjs';

/** Plain JavaScript, so the child runs without tsx or any loader in front of the import being timed. */
const RUNNER_SOURCE = `const before = performance.now();
await import('./${BUNDLE_PATH}');
const after = performance.now();
process.stdout.write(JSON.stringify({ before, after }));
`;

/** What the Lambda would have set, and nothing from this shell (no NODE_OPTIONS, no AWS credentials). */
export function lambdaEnvironment(): NodeJS.ProcessEnv {
  return {
    AWS_REGION: 'us-east-1',
    TZ: 'UTC',
    SEATMETER_TIMESTREAM_DATABASE: 'seatmeter',
    SEATMETER_STATE_TABLE: 'seatmeter-series-state',
    SEATMETER_ARCHIVE_BUCKET: 'seatmeter-archive',
    SEATMETER_INGEST_SECRET_ID: 'seatmeter/ingest',
  };
}

export type Sample = { readonly ok: true; readonly bootstrapMs: number; readonly initMs: number } | { readonly ok: false; readonly error: string };

export function installRunner(dir: string): void {
  writeFileSync(join(dir, RUNNER), RUNNER_SOURCE);
}

/** The error line of a failed child (its stack is noise here), or its exit status when there is none. */
function failureOf(stderr: string, status: number | null): string {
  const line = stderr.split('\n').find((text) => /^\w*Error\b/.test(text.trim()));
  return line?.trim() ?? `exit status ${String(status)}`;
}

export function coldStart(dir: string): Sample {
  const child = spawnSync(process.execPath, [RUNNER], { cwd: dir, env: lambdaEnvironment(), encoding: 'utf8' });
  if (child.status !== 0) return { ok: false, error: failureOf(child.stderr, child.status) };
  const { before, after } = JSON.parse(child.stdout) as { before: number; after: number };
  return { ok: true, bootstrapMs: before, initMs: after - before };
}

export interface ColdStartSummary {
  readonly runs: number;
  readonly initMs: number;
  readonly minInitMs: number;
  readonly maxInitMs: number;
  readonly bootstrapMs: number;
}

/**
 * `runs` samples of each directory after one discarded run each (it only warms the OS file cache, which a
 * Lambda host has too). Directories take turns, so a drift in this shared VM's speed hits all of them alike.
 * A directory whose bundle fails to load gives its error instead.
 */
export function coldStarts(dirs: readonly string[], runs: number): (ColdStartSummary | { readonly error: string })[] {
  const samples = dirs.map(() => [] as Sample[]);
  for (const dir of dirs) coldStart(dir);
  for (let run = 0; run < runs; run += 1) dirs.forEach((dir, index) => samples[index]?.push(coldStart(dir)));
  return samples.map((list) => {
    const failed = list.find((sample): sample is Extract<Sample, { ok: false }> => !sample.ok);
    if (failed !== undefined) return { error: failed.error };
    const ok = list.filter((sample): sample is Extract<Sample, { ok: true }> => sample.ok);
    const inits = ok.map((sample) => sample.initMs);
    return {
      runs: ok.length,
      initMs: median(inits),
      minInitMs: Math.min(...inits),
      maxInitMs: Math.max(...inits),
      bootstrapMs: median(ok.map((sample) => sample.bootstrapMs)),
    };
  });
}
