/**
 * A cold start of a bundled receiver, as Lambda does one: a fresh `node` process imports the bundle (the init
 * phase) and then runs one invocation (the first request, the one a cold start delays). The child is a short
 * plain-JavaScript runner, so no tsx or loader sits in front of what is timed:
 *
 * - init: `performance.now()` just before and just after `await import(bundle)`: reading, compiling and
 *   running the bundle's top level (clients created, schemas and the price book loaded). The first reading is
 *   Node's own bootstrap, reported apart. The process's CPU time (user + system, all threads: V8 also compiles
 *   and collects garbage on helper threads) is taken too: on a shared machine the wall time also holds the
 *   time other processes had the CPU.
 * - first invocation: the handler on one request (a typical export, a cumulative one, doctor's read-back),
 *   against the fake AWS (test/support/fake-aws.ts): the work init left for later (SDK middleware, credentials,
 *   endpoint discovery, signing, first decode and pricing, the clients built on first use) shows here, so a
 *   saving in init that only moves work is visible as a loss here.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { BUNDLE_PATH } from './receiver-bundle.ts';
import { median } from './receiver-report.ts';

const RUNNER = 'runner.mjs';

/**
 * Runs the request named by its argument (`<name>.json` beside it). The handler's EMF log line is built (part
 * of the cost) but not printed: stdout carries the result.
 */
const RUNNER_SOURCE = `import { readFileSync } from 'node:fs';
const event = JSON.parse(readFileSync(\`./\${process.argv[2]}.json\`, 'utf8'));
const cpu = process.cpuUsage();
const before = performance.now();
const { handler } = await import('./${BUNDLE_PATH}');
const after = performance.now();
const initCpu = process.cpuUsage(cpu);
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = () => true;
const result = await handler(event, { awsRequestId: 'cold-start', getRemainingTimeInMillis: () => 30000 });
const invoked = performance.now();
const invokeCpu = process.cpuUsage(cpu);
const ms = (usage) => (usage.user + usage.system) / 1000;
write(JSON.stringify({ before, after, invoked, initCpuMs: ms(initCpu), firstInvokeCpuMs: ms(invokeCpu) - ms(initCpu), status: result.statusCode, body: result.body }));
// The SDK's keep-alive sockets would hold the process open; a Lambda sandbox is frozen instead.
process.exit(0);
`;

/** What the Lambda would have set, and nothing from this shell (no NODE_OPTIONS, no real AWS credentials). */
export function lambdaEnvironment(): NodeJS.ProcessEnv {
  return {
    AWS_REGION: 'us-east-1',
    TZ: 'UTC',
    SEATMETER_TIMESTREAM_DATABASE: 'seatmeter',
    SEATMETER_STATE_TABLE: 'seatmeter-series-state',
    SEATMETER_BUDGETS_TABLE: 'seatmeter-budgets',
    SEATMETER_TEAM_MAP_BUCKET: 'seatmeter-rollup',
    SEATMETER_ARCHIVE_BUCKET: 'seatmeter-archive',
    SEATMETER_INGEST_SECRET_ID: 'seatmeter/ingest',
  };
}

/** Lambda hands the function its role's temporary credentials in these variables; the fake AWS ignores signatures. */
function childEnvironment(awsEndpoint: string): NodeJS.ProcessEnv {
  return {
    ...lambdaEnvironment(),
    AWS_ACCESS_KEY_ID: 'ASIABENCHMARK',
    AWS_SECRET_ACCESS_KEY: 'benchmark',
    AWS_SESSION_TOKEN: 'benchmark',
    AWS_ENDPOINT_URL: awsEndpoint,
  };
}

export type Sample =
  | {
      readonly ok: true;
      readonly bootstrapMs: number;
      readonly initMs: number;
      readonly initCpuMs: number;
      readonly firstInvokeMs: number;
      readonly firstInvokeCpuMs: number;
    }
  | { readonly ok: false; readonly error: string };

/** Writes the runner and the requests it can run, by name, beside a bundle. */
export function installRunner(dir: string, events: Readonly<Record<string, APIGatewayProxyEventV2>>): void {
  writeFileSync(join(dir, RUNNER), RUNNER_SOURCE);
  for (const [name, event] of Object.entries(events)) writeFileSync(join(dir, `${name}.json`), JSON.stringify(event));
}

/** The error line of a failed child (its stack is noise here), or its exit status when there is none. */
function failureOf(stderr: string, code: number | string | null | undefined): string {
  const line = stderr.split('\n').find((text) => /^\w*Error\b/.test(text.trim()));
  return line?.trim() ?? `exit status ${String(code)}`;
}

interface RunnerOutput {
  readonly before: number;
  readonly after: number;
  readonly invoked: number;
  readonly initCpuMs: number;
  readonly firstInvokeCpuMs: number;
  readonly status: number;
  readonly body: string;
}

/** A bundle's directory and the installed request its first invocation runs. */
export interface ColdStartTarget {
  readonly dir: string;
  readonly event: string;
}

/** Asynchronous, so that this process can serve the child's AWS calls while it runs. */
export function coldStart({ dir, event }: ColdStartTarget, awsEndpoint: string): Promise<Sample> {
  return new Promise((resolve) => {
    execFile(process.execPath, [RUNNER, event], { cwd: dir, env: childEnvironment(awsEndpoint), encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error !== null) {
        resolve({ ok: false, error: failureOf(stderr, error.code) });
        return;
      }
      const out = JSON.parse(stdout) as RunnerOutput;
      if (out.status !== 200) {
        resolve({ ok: false, error: `the first invocation answered ${out.status}: ${out.body}` });
        return;
      }
      resolve({
        ok: true,
        bootstrapMs: out.before,
        initMs: out.after - out.before,
        initCpuMs: out.initCpuMs,
        firstInvokeMs: out.invoked - out.after,
        firstInvokeCpuMs: out.firstInvokeCpuMs,
      });
    });
  });
}

export interface ColdStartSummary {
  readonly runs: number;
  readonly initMs: number;
  readonly minInitMs: number;
  readonly maxInitMs: number;
  readonly initCpuMs: number;
  readonly firstInvokeMs: number;
  readonly firstInvokeCpuMs: number;
  /** Median of each run's init + first invocation: the delay a cold start adds to the request that meets it. */
  readonly coldTotalMs: number;
  readonly bootstrapMs: number;
}

export type ColdStartResult = ColdStartSummary | { readonly error: string };

function summary(samples: readonly Sample[]): ColdStartResult {
  const failed = samples.find((sample): sample is Extract<Sample, { ok: false }> => !sample.ok);
  if (failed !== undefined) return { error: failed.error };
  const ok = samples.filter((sample): sample is Extract<Sample, { ok: true }> => sample.ok);
  const inits = ok.map((sample) => sample.initMs);
  return {
    runs: ok.length,
    initMs: median(inits),
    minInitMs: Math.min(...inits),
    maxInitMs: Math.max(...inits),
    initCpuMs: median(ok.map((sample) => sample.initCpuMs)),
    firstInvokeMs: median(ok.map((sample) => sample.firstInvokeMs)),
    firstInvokeCpuMs: median(ok.map((sample) => sample.firstInvokeCpuMs)),
    coldTotalMs: median(ok.map((sample) => sample.initMs + sample.firstInvokeMs)),
    bootstrapMs: median(ok.map((sample) => sample.bootstrapMs)),
  };
}

/**
 * `runs` samples of each target after one discarded run each (it only warms the OS file cache, which a
 * Lambda host has too). Targets take turns, so a drift in this shared VM's speed hits all of them alike.
 * A target whose bundle fails to load or to answer 200 gives its error instead.
 */
export async function coldStarts(targets: readonly ColdStartTarget[], runs: number, awsEndpoint: string): Promise<ColdStartResult[]> {
  const samples = targets.map(() => [] as Sample[]);
  for (const target of targets) await coldStart(target, awsEndpoint);
  for (let run = 0; run < runs; run += 1) {
    for (const [index, target] of targets.entries()) samples[index]?.push(await coldStart(target, awsEndpoint));
  }
  return samples.map(summary);
}
