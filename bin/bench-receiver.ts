/**
 * `npm run bench` (third part): the receiver Lambda's deployment-side numbers, each next to its goal.
 *
 *   1. bundled size of lambdas/receiver/lambda.ts (esbuild, ESM, node22, minified), with the AWS SDK bundled
 *      and with it left to the Lambda runtime, plus the data files that must ship beside the bundle;
 *   2. cold-start module init of each bundle, in fresh node processes;
 *   3. warm handler latency for a typical Claude Code metrics export, AWS clients mocked;
 *   4. Timestream write units per export, from the WriteRecords requests the mocked client received.
 *
 * How each is measured is in bin/bench/*; the notes printed under the tables say it in short.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stop as stopEsbuild, version as esbuildVersion } from 'esbuild';
import { CAPTURES } from '../test/support/captures.ts';
import { bundleReceiver, shippedFiles, totalBytes } from './bench/receiver-bundle.ts';
import type { BundleResult, BundleVariant } from './bench/receiver-bundle.ts';
import { coldStart, coldStarts, installRunner } from './bench/receiver-cold-start.ts';
import type { ColdStartSummary } from './bench/receiver-cold-start.ts';
import { grid, kilobytes, machine, megabytes, ms, table, verdict } from './bench/receiver-report.ts';
import type { Row } from './bench/receiver-report.ts';
import { mockedReceiver, warmLatency, writesOf } from './bench/receiver-warm.ts';
import type { Latency, MockedReceiver } from './bench/receiver-warm.ts';
import { exportWrites } from './bench/timestream-write-units.ts';
import type { ExportWrites } from './bench/timestream-write-units.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const TYPICAL_CLAUDE_EXPORT = 'claude/claude-protobuf-delta/002-v1_metrics';

const GOAL_BUNDLE_BYTES = 1_000_000;
const GOAL_INIT_MS = 150;
const GOAL_WARM_P50_MS = 10;
const GOAL_UNITS_PER_SESSION_MODEL = 1;

const COLD_RUNS = 9;
const WARM_UP_CALLS = 300;
const TIMED_CALLS = 3_000;

const SDK_BUNDLED: BundleVariant = { name: 'SDK bundled', sdkExternal: false, requireBanner: true };
const SDK_EXTERNAL: BundleVariant = { name: 'SDK external', sdkExternal: true, requireBanner: true };
/** The options exactly as asked, without the createRequire banner: checked only for whether it loads. */
const AS_ASKED: BundleVariant = { name: 'no require banner', sdkExternal: false, requireBanner: false };

/** A capture family as the goal names it: the typical export, and every capture of that client and signal. */
interface Family {
  readonly label: string;
  readonly typical: string;
  readonly all: readonly string[];
}

function family(label: string, client: string, signal: string, typical: string): Family {
  const all = CAPTURES.filter(([id, captured]) => id.startsWith(`${client}/`) && captured === signal).map(([id]) => id);
  return { label, typical, all };
}

const FAMILIES: readonly Family[] = [
  family('Claude metrics', 'claude', 'metrics', TYPICAL_CLAUDE_EXPORT),
  family('Codex logs', 'codex', 'logs', 'codex/codex-binary/003-v1_logs'),
  family('Gemini metrics', 'gemini', 'metrics', 'gemini/gemini-http-json/003-v1_metrics'),
];

// ---------------------------------------------------------------------------------------------------------
// Measuring

interface Measured {
  readonly files: readonly string[];
  readonly filesBytes: number;
  readonly bundles: readonly BundleResult[];
  readonly asAskedLoads: string | null;
  readonly cold: readonly (ColdStartSummary | { readonly error: string })[];
  readonly warm: Latency;
  readonly writes: readonly { readonly family: Family; readonly typical: ExportWrites; readonly worstPerPair: number }[];
}

async function bundles(dir: string, files: readonly string[]): Promise<{ measured: BundleResult[]; asAsked: BundleResult }> {
  const build = (variant: BundleVariant): Promise<BundleResult> => bundleReceiver(ROOT, join(dir, variant.name.replaceAll(' ', '-')), variant, files);
  const measured = [await build(SDK_BUNDLED), await build(SDK_EXTERNAL)];
  const asAsked = await build(AS_ASKED);
  // esbuild keeps a service process for further builds; there are none, so let it go.
  await stopEsbuild();
  for (const bundle of [...measured, asAsked]) installRunner(bundle.dir);
  return { measured, asAsked };
}

const unitsPerPair = (writes: ExportWrites): number => (writes.sessionModels === 0 ? 0 : writes.units / writes.sessionModels);

async function writeUnits(receiver: MockedReceiver): Promise<Measured['writes']> {
  const out = [];
  for (const entry of FAMILIES) {
    const typical = exportWrites(await writesOf(receiver, entry.typical));
    let worstPerPair = 0;
    for (const id of entry.all) worstPerPair = Math.max(worstPerPair, unitsPerPair(exportWrites(await writesOf(receiver, id))));
    out.push({ family: entry, typical, worstPerPair });
  }
  return out;
}

async function measure(dir: string): Promise<Measured> {
  const files = shippedFiles(ROOT);
  const { measured, asAsked } = await bundles(dir, files);
  const asAskedRun = coldStart(asAsked.dir);
  // Child processes first, while this process is idle; then the in-process parts.
  const cold = coldStarts(measured.map((bundle) => bundle.dir), COLD_RUNS);
  const receiver = await mockedReceiver();
  const warm = await warmLatency(receiver, TYPICAL_CLAUDE_EXPORT, WARM_UP_CALLS, TIMED_CALLS);
  const writes = await writeUnits(receiver);
  return {
    files,
    filesBytes: totalBytes(ROOT, files),
    bundles: measured,
    asAskedLoads: asAskedRun.ok ? null : asAskedRun.error,
    cold,
    warm,
    writes,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Reporting

function sizeRows(m: Measured): Row[] {
  const rows: Row[] = m.bundles.map((bundle) => ({
    measure: `bundle size, ${bundle.variant.name}`,
    value: `${megabytes(bundle.bytes)} (gzip ${megabytes(bundle.gzipBytes)})`,
    goal: `< ${megabytes(GOAL_BUNDLE_BYTES)}`,
    met: bundle.bytes < GOAL_BUNDLE_BYTES,
  }));
  rows.push({ measure: `files shipped beside the bundle (${m.files.length})`, value: kilobytes(m.filesBytes), goal: '' });
  return rows;
}

function coldRows(m: Measured): Row[] {
  return m.bundles.map((bundle, index) => {
    const cold = m.cold[index];
    const measure = `module init, ${bundle.variant.name}`;
    if (cold === undefined || 'error' in cold) return { measure, value: `fails: ${cold?.error ?? 'not run'}`, goal: `< ${GOAL_INIT_MS} ms`, met: false };
    return {
      measure: `${measure} (median of ${cold.runs}; min–max ${cold.minInitMs.toFixed(0)}–${cold.maxInitMs.toFixed(0)})`,
      value: ms(cold.initMs),
      goal: `< ${GOAL_INIT_MS} ms`,
      met: cold.initMs < GOAL_INIT_MS,
    };
  });
}

function bootstrapRow(m: Measured): Row {
  const ok = m.cold.filter((cold): cold is ColdStartSummary => !('error' in cold));
  const bootstrap = ok.length === 0 ? Number.NaN : Math.min(...ok.map((cold) => cold.bootstrapMs));
  return { measure: 'node bootstrap before the import (not counted)', value: ms(bootstrap), goal: '' };
}

function warmRows(m: Measured): Row[] {
  const label = `warm handler, ${TYPICAL_CLAUDE_EXPORT.split('/').slice(1).join('/')} (${m.warm.iterations} calls)`;
  return [
    { measure: `${label} p50`, value: ms(m.warm.p50, 2), goal: `< ${GOAL_WARM_P50_MS} ms`, met: m.warm.p50 < GOAL_WARM_P50_MS },
    { measure: `${label} p99`, value: ms(m.warm.p99, 2), goal: `< ${GOAL_WARM_P50_MS} ms`, met: m.warm.p99 < GOAL_WARM_P50_MS },
  ];
}

function writesTable(m: Measured): string {
  const rows = m.writes.map(({ family: entry, typical, worstPerPair }) => {
    const perPair = unitsPerPair(typical);
    const met = perPair <= GOAL_UNITS_PER_SESSION_MODEL && worstPerPair <= GOAL_UNITS_PER_SESSION_MODEL;
    return [
      `${entry.label} (${entry.typical.split('/').slice(1).join('/')})`,
      typical.tables.join('+'),
      String(typical.records),
      String(typical.bytes),
      String(typical.requests),
      String(typical.units),
      String(typical.sessionModels),
      perPair.toFixed(1),
      `${worstPerPair.toFixed(1)} (${entry.all.length} exports)`,
      `≤ ${GOAL_UNITS_PER_SESSION_MODEL}`,
      verdict(met),
    ];
  });
  const headers = ['export', 'tables', 'records', 'bytes', 'requests', 'units', '(session,model)', 'units/pair', 'worst in family', 'goal', ''];
  return grid(headers, rows, [2, 3, 4, 5, 6, 7, 8]);
}

function largestPackages(bundle: BundleResult): string {
  return bundle.byPackage
    .slice(0, 5)
    .map(([name, bytes]) => `${name} ${kilobytes(bytes)}`)
    .join(', ');
}

function notes(m: Measured): string[] {
  const sdkBundled = m.bundles[0];
  return [
    `Bundles: esbuild bundle of lambdas/receiver/lambda.ts, platform node, target node22, format esm, minified; sizes are the minified output (MB = 10^6 bytes). Largest parts of the SDK-bundled one: ${sdkBundled === undefined ? '?' : largestPackages(sdkBundled)}.`,
    `Shipped files: ${m.files.length} files read at load through new URL('../../schemas/…', import.meta.url) (schemas/otlp/**/*.proto, price-overrides.json, canonical-records.json), copied to schemas/ two levels above lambdas/receiver/index.mjs; ${
      m.cold.every((cold) => !('error' in cold)) ? 'both bundles found them (each reads them during init, which succeeded).' : 'a bundle failed to load: see its error above.'
    }`,
    m.asAskedLoads === null
      ? 'Without a createRequire banner the ESM bundle loads too.'
      : `Without a createRequire banner the ESM bundle does not load: "${m.asAskedLoads}" (esbuild's ESM output cannot require() the Node built-ins its CommonJS dependencies ask for). The numbers above use the banner \`const require = createRequire(import.meta.url)\`; a deployment needs it as well.`,
    `Module init: ${COLD_RUNS} fresh \`node\` processes per bundle (after one unrecorded run), taking turns; a runner records performance.now() before and after \`await import(bundle)\`. Init = after − before, which leaves out Node's bootstrap (shown, as the smallest median). SDK external loads the repository's node_modules/@aws-sdk in place of the runtime's copy. Lambda's own runtime start is not in either.`,
    `Warm handler: lambdas/receiver/lambda.ts in this process (tsx), the four AWS clients mocked to resolve at once; ${WARM_UP_CALLS} untimed calls, then ${TIMED_CALLS} calls timed one by one (performance.now()); the per-request EMF line is built but not printed.`,
    'Write units: a write is one WriteRecords request, metered as its bytes (recordBytes of each record as sent, common dimensions once) rounded up to whole KiB — AWS metering-and-pricing.writes ("Each write is counted in units of 1 KiB"; its example batches 12 records in one write), aws-notes.md §1 Pricing. (session,model) counts records that name a model; "worst in family" is the highest units/pair over every capture of that client and signal, each sent once with no stored series state.',
  ];
}

function print(m: Measured): void {
  const lines = [
    `seatmeter receiver benchmark — ${machine(esbuildVersion)}`,
    '',
    table([...sizeRows(m), ...coldRows(m), bootstrapRow(m), ...warmRows(m)]),
    '',
    'Timestream write units per export',
    writesTable(m),
    '',
    ...notes(m).map((note) => `- ${note}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

const dir = mkdtempSync(join(tmpdir(), 'seatmeter-bench-receiver-'));
try {
  print(await measure(dir));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
