/**
 * `npm run bench` (third part): the receiver Lambda's deployment-side numbers, each next to its goal.
 *
 *   1. bundled size of lambdas/receiver/lambda.ts, built from lib/lambda-bundling.ts (the settings the CDK
 *      stack deploys with), with the AWS SDK bundled and with it left to the Lambda runtime;
 *   2. cold start of each bundle in fresh node processes: module init, and the first invocation after it
 *      (against a fake AWS on 127.0.0.1), so that work moved out of init is not mistaken for work removed —
 *      for a typical Claude Code export, and for the first requests that build the clients init leaves out
 *      (a cumulative export, doctor's read-back);
 *   3. warm handler latency for a typical Claude Code metrics export, AWS clients mocked;
 *   4. Timestream write units per export, in the default one-table layout and with a table per kind.
 *
 * How each is measured is in bin/bench/*; the notes printed under the tables say it in short.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WriteRecordsCommandInput } from '@aws-sdk/client-timestream-write';
import { stop as stopEsbuild, version as esbuildVersion } from 'esbuild';
import { RECEIVER_BUNDLE, SDK_EXTERNAL } from '../lib/lambda-bundling.ts';
import type { TimestreamTableNames } from '../lambdas/store/timestream/table-names.ts';
import { CAPTURES } from '../test/support/captures.ts';
import { startFakeAws } from '../test/support/fake-aws.ts';
import { bundleReceiver } from './bench/receiver-bundle.ts';
import type { BundleResult, BundleVariant } from './bench/receiver-bundle.ts';
import { coldStart, coldStarts, installRunner } from './bench/receiver-cold-start.ts';
import type { ColdStartResult, ColdStartSummary } from './bench/receiver-cold-start.ts';
import { grid, kilobytes, machine, megabytes, ms, table, verdict } from './bench/receiver-report.ts';
import type { Row } from './bench/receiver-report.ts';
import { exportEvent, probeExportEvent, probeReadEvent, SECRET } from './bench/receiver-events.ts';
import { mockedReceiver, warmLatency, writesOf, writesWithTables } from './bench/receiver-warm.ts';
import type { Latency } from './bench/receiver-warm.ts';
import { exportWrites } from './bench/timestream-write-units.ts';
import type { ExportWrites } from './bench/timestream-write-units.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const TYPICAL_CLAUDE_EXPORT = 'claude/claude-protobuf-delta/002-v1_metrics';
const CUMULATIVE_CLAUDE_EXPORT = 'claude/claude-protobuf-cumulative/002-v1_metrics';
const PROBE_SESSION = 'doctor-bench';

/** The requests the cold starts' first invocations run, by the name installRunner gives them. */
const TYPICAL = 'typical';
const PROBE_EXPORT = 'probe';
/** First requests that need more than the typical export: the clients init leaves out are built for them. */
const OTHER_FIRST_REQUESTS: readonly { readonly event: string; readonly label: string }[] = [
  { event: 'cumulative', label: `a cumulative export (${CUMULATIVE_CLAUDE_EXPORT.split('/').slice(1).join('/')}): DynamoDB client built` },
  { event: 'read-back', label: "doctor's read-back of its probe: Timestream Query client built" },
];

const GOAL_BUNDLE_BYTES = 1_000_000;
const GOAL_INIT_MS = 150;
const GOAL_WARM_P50_MS = 10;
const GOAL_UNITS_PER_SESSION_MODEL = 1;

const COLD_RUNS = 9;
const WARM_UP_CALLS = 300;
const TIMED_CALLS = 3_000;

const SDK_BUNDLED: BundleVariant = { name: 'SDK bundled', external: RECEIVER_BUNDLE.external, requireBanner: true };
const SDK_EXTERNAL_VARIANT: BundleVariant = { name: 'SDK external', external: SDK_EXTERNAL, requireBanner: true };
/** The same settings without the createRequire banner: checked only for whether it loads. */
const NO_BANNER: BundleVariant = { name: 'no require banner', external: RECEIVER_BUNDLE.external, requireBanner: false };

/**
 * Parts of the receiver's init, each bundled alone with RECEIVER_BUNDLE's settings and cold-started the same
 * way, to show what each costs by itself. Each exports a no-op handler so that the same runner times it.
 * They overlap (each pays for the Node built-ins it imports), so they do not add up to the whole.
 */
const NO_OP_HANDLER = 'export const handler = async () => ({ statusCode: 200 });';
const INIT_PARTS: readonly { readonly name: string; readonly source: string }[] = [
  { name: 'nothing but a no-op handler', source: NO_OP_HANDLER },
  {
    name: 'AWS SDK: the three clients init builds, imported and constructed',
    source: [
      "import { S3Client } from '@aws-sdk/client-s3';",
      "import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';",
      "import { TimestreamWriteClient } from '@aws-sdk/client-timestream-write';",
      'new SecretsManagerClient({}); new TimestreamWriteClient({}); new S3Client({});',
      NO_OP_HANDLER,
    ].join('\n'),
  },
  {
    name: 'price book: @pydantic/genai-prices and the overrides',
    source: `import { defaultPriceBook } from './lambdas/pricing/default-price-book.ts';\ndefaultPriceBook();\n${NO_OP_HANDLER}`,
  },
  { name: 'OTLP schema: protobufjs light and descriptor.json', source: `import './lambdas/otlp/proto.ts';\n${NO_OP_HANDLER}` },
];

/** The alternative layout: each record kind in a table of its own. */
const TABLE_PER_KIND: TimestreamTableNames = { usage: 'usage', activity: 'activity', request: 'request' };

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

interface FamilyWrites {
  readonly family: Family;
  readonly typical: ExportWrites;
  readonly worstPerPair: number;
}

interface InitPart {
  readonly name: string;
  readonly bytes: number;
  readonly cold: ColdStartResult;
}

interface Measured {
  readonly bundles: readonly BundleResult[];
  readonly parts: readonly InitPart[];
  readonly noBannerLoads: string | null;
  readonly cold: readonly ColdStartResult[];
  /** The AWS operations the cold starts' first invocations called, each once, in first-call order. */
  readonly awsOperations: readonly string[];
  /** Cold starts of the SDK-bundled bundle whose first request is one of OTHER_FIRST_REQUESTS, in that order. */
  readonly otherFirst: readonly ColdStartResult[];
  readonly warm: Latency;
  /** The receiver as deployed: every kind in the default table. */
  readonly writes: readonly FamilyWrites[];
  readonly perKindWrites: readonly FamilyWrites[];
}

async function bundles(dir: string): Promise<{ deployed: BundleResult; measured: BundleResult[]; noBanner: BundleResult; parts: BundleResult[] }> {
  const build = (variant: BundleVariant): Promise<BundleResult> => bundleReceiver(ROOT, join(dir, variant.name.replaceAll(' ', '-')), variant);
  const deployed = await build(SDK_BUNDLED);
  const measured = [deployed, await build(SDK_EXTERNAL_VARIANT)];
  const noBanner = await build(NO_BANNER);
  const parts = [];
  for (const [index, part] of INIT_PARTS.entries()) parts.push(await bundleReceiver(ROOT, join(dir, `part-${index}`), SDK_BUNDLED, part.source));
  // esbuild keeps a service process for further builds; there are none, so let it go.
  await stopEsbuild();
  for (const bundle of [...measured, noBanner, ...parts]) installRunner(bundle.dir, { [TYPICAL]: exportEvent(TYPICAL_CLAUDE_EXPORT) });
  installRunner(deployed.dir, {
    cumulative: exportEvent(CUMULATIVE_CLAUDE_EXPORT),
    [PROBE_EXPORT]: probeExportEvent(PROBE_SESSION, Date.now()),
    'read-back': probeReadEvent(PROBE_SESSION),
  });
  return { deployed, measured, noBanner, parts };
}

const unitsPerPair = (writes: ExportWrites): number => (writes.sessionModels === 0 ? 0 : writes.units / writes.sessionModels);

type WritesOf = (captureId: string) => Promise<WriteRecordsCommandInput[]>;

async function familyWrites(writesOfExport: WritesOf): Promise<FamilyWrites[]> {
  const out = [];
  for (const entry of FAMILIES) {
    const typical = exportWrites(await writesOfExport(entry.typical));
    let worstPerPair = 0;
    for (const id of entry.all) worstPerPair = Math.max(worstPerPair, unitsPerPair(exportWrites(await writesOfExport(id))));
    out.push({ family: entry, typical, worstPerPair });
  }
  return out;
}

async function measure(dir: string): Promise<Measured> {
  const { deployed, measured, noBanner, parts } = await bundles(dir);
  const aws = await startFakeAws(SECRET);
  try {
    const noBannerRun = await coldStart({ dir: noBanner.dir, event: TYPICAL }, aws.url);
    aws.takeOperations();
    // Child processes first, while this process has nothing else to do; then the in-process parts.
    const cold = await coldStarts(
      measured.map((bundle) => ({ dir: bundle.dir, event: TYPICAL })),
      COLD_RUNS,
      aws.url,
    );
    const awsOperations = [...new Set(aws.takeOperations())];
    // The read-back answers 200 only once the probe is stored.
    await coldStart({ dir: deployed.dir, event: PROBE_EXPORT }, aws.url);
    const otherFirst = await coldStarts(
      OTHER_FIRST_REQUESTS.map(({ event }) => ({ dir: deployed.dir, event })),
      COLD_RUNS,
      aws.url,
    );
    const partsCold = await coldStarts(
      parts.map((bundle) => ({ dir: bundle.dir, event: TYPICAL })),
      COLD_RUNS,
      aws.url,
    );
    const receiver = await mockedReceiver();
    const warm = await warmLatency(receiver, TYPICAL_CLAUDE_EXPORT, WARM_UP_CALLS, TIMED_CALLS);
    const writes = await familyWrites((id) => writesOf(receiver, id));
    const perKindWrites = await familyWrites((id) => writesWithTables(receiver, id, TABLE_PER_KIND));
    return {
      bundles: measured,
      parts: INIT_PARTS.map((part, index) => ({ name: part.name, bytes: parts[index]?.bytes ?? Number.NaN, cold: partsCold[index] ?? { error: 'not run' } })),
      noBannerLoads: noBannerRun.ok ? null : noBannerRun.error,
      cold,
      awsOperations,
      otherFirst,
      warm,
      writes,
      perKindWrites,
    };
  } finally {
    await aws.close();
  }
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
  const loaded = m.cold.every((cold) => !('error' in cold));
  rows.push({ measure: 'files shipped beside the bundle', value: loaded ? 'none' : 'see the errors', goal: 'none', met: loaded });
  return rows;
}

function coldRows(bundle: BundleResult, cold: ColdStartResult | undefined): Row[] {
  const name = bundle.variant.name;
  if (cold === undefined || 'error' in cold) return [{ measure: `module init, ${name}`, value: `fails: ${cold?.error ?? 'not run'}`, goal: `< ${GOAL_INIT_MS} ms`, met: false }];
  return [
    {
      measure: `module init, ${name} (median of ${cold.runs}; min–max ${cold.minInitMs.toFixed(0)}–${cold.maxInitMs.toFixed(0)})`,
      value: ms(cold.initMs),
      goal: `< ${GOAL_INIT_MS} ms`,
      met: cold.initMs < GOAL_INIT_MS,
    },
    { measure: '  its CPU time (median)', value: ms(cold.initCpuMs), goal: '' },
    { measure: '  first invocation after it (median)', value: ms(cold.firstInvokeMs), goal: '' },
    { measure: '  its CPU time (median)', value: ms(cold.firstInvokeCpuMs), goal: '' },
    { measure: '  init + first invocation (median of the sums)', value: ms(cold.coldTotalMs), goal: '' },
  ];
}

function otherFirstRows(m: Measured): Row[] {
  return OTHER_FIRST_REQUESTS.flatMap(({ label }, index): Row[] => {
    const cold = m.otherFirst[index];
    const measure = `first invocation instead, SDK bundled: ${label}`;
    if (cold === undefined || 'error' in cold) return [{ measure, value: `fails: ${cold?.error ?? 'not run'}`, goal: 'answers 200', met: false }];
    return [
      { measure: `${measure} (median of ${cold.runs})`, value: ms(cold.firstInvokeMs), goal: '' },
      { measure: '  its CPU time (median)', value: ms(cold.firstInvokeCpuMs), goal: '' },
    ];
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

function writesRows(writes: readonly FamilyWrites[], layout: string, judged: boolean): string[][] {
  return writes.map(({ family: entry, typical, worstPerPair }) => {
    const perPair = unitsPerPair(typical);
    const met = perPair <= GOAL_UNITS_PER_SESSION_MODEL && worstPerPair <= GOAL_UNITS_PER_SESSION_MODEL;
    return [
      `${entry.label} (${entry.typical.split('/').slice(1).join('/')})`,
      `${layout}: ${typical.tables.join('+')}`,
      String(typical.records),
      String(typical.bytes),
      String(typical.requests),
      String(typical.units),
      String(typical.sessionModels),
      perPair.toFixed(1),
      `${worstPerPair.toFixed(1)} (${entry.all.length} exports)`,
      judged ? `≤ ${GOAL_UNITS_PER_SESSION_MODEL}` : '',
      judged ? verdict(met) : '',
    ];
  });
}

function writesTable(m: Measured): string {
  const rows = [...writesRows(m.writes, 'default', true), ...writesRows(m.perKindWrites, 'per kind', false)];
  const headers = ['export', 'tables', 'records', 'bytes', 'requests', 'units', '(session,model)', 'units/pair', 'worst in family', 'goal', ''];
  return grid(headers, rows, [2, 3, 4, 5, 6, 7, 8]);
}

function partsTable(m: Measured): string {
  const rows = m.parts.map(({ name, bytes, cold }) =>
    'error' in cold ? [name, megabytes(bytes), `fails: ${cold.error}`, ''] : [name, megabytes(bytes), ms(cold.initMs), ms(cold.initCpuMs)],
  );
  return grid(['part, bundled alone', 'size', 'init (median)', 'CPU (median)'], rows, [1, 2, 3]);
}

function largestPackages(bundle: BundleResult): string {
  return bundle.byPackage
    .slice(0, 6)
    .map(([name, bytes]) => `${name} ${kilobytes(bytes)}`)
    .join(', ');
}

function notes(m: Measured): string[] {
  const sdkBundled = m.bundles[0];
  return [
    `Bundles: esbuild with lib/lambda-bundling.ts's RECEIVER_BUNDLE (the CDK stack's settings: ${RECEIVER_BUNDLE.format}, ${RECEIVER_BUNDLE.platform}, ${RECEIVER_BUNDLE.target}, minified, mainFields ${RECEIVER_BUNDLE.mainFields.join(',')}); SDK external marks ${SDK_EXTERNAL.join(', ')} external. Sizes are the minified output (MB = 10^6 bytes). Largest parts of the SDK-bundled one: ${sdkBundled === undefined ? '?' : largestPackages(sdkBundled)}.`,
    'Shipped files: none. The OTLP descriptor (generated from schemas/otlp/*.proto), the canonical schema and the price overrides are JSON imports compiled into the bundle; every cold start below ran from a directory holding only the bundle (and, SDK external, a node_modules link standing in for the runtime\'s SDK).',
    m.noBannerLoads === null
      ? "Without the createRequire banner this bundle loads and answers too: the SDK's ES-module builds import the Node built-ins they use, and the one CommonJS require() left (protobufjs looking for fs) copes without it. RECEIVER_BUNDLE keeps the banner so that a CommonJS dependency added later cannot break the deployed bundle."
      : `Without the createRequire banner the ESM bundle does not load: "${m.noBannerLoads}" (esbuild's ESM output cannot require() the Node built-ins its CommonJS dependencies ask for); RECEIVER_BUNDLE.banner gives it one.`,
    `Cold start: ${COLD_RUNS} fresh \`node\` processes per bundle (after one unrecorded run), taking turns. Init = performance.now() after − before \`await import(bundle)\`, which leaves out Node's bootstrap (shown apart); beside it, the process's CPU time (user + system, all threads, so it can exceed the wall time), which other load on this shared machine inflates less. Then the handler answers the typical export once, its SDK calls (${m.awsOperations.join(', ')}) served by a fake AWS on 127.0.0.1 through AWS_ENDPOINT_URL: work init leaves for later shows there, network time to AWS does not. Lambda's own runtime start is in neither.`,
    "Clients built on first use: init builds the Secrets Manager, Timestream Write and S3 clients every export needs; the DynamoDB client (series state and its lease) waits for the first export with cumulative points, the Timestream Query client for doctor's first read-back — the two \"first invocation instead\" rows, each in its own fresh processes (the read-back after one probe export, so it finds the probe). Their modules stay static imports: an import() would have esbuild (one file, no splitting) wrap them and everything they import in lazy initialisers it cannot tree-shake, a larger bundle that costs as much to load as the eager one.",
    'Price book: @pydantic/genai-prices builds its table of usage units at load, and that table is most of the price book\'s init (its localeCompare sets up ICU\'s collator); calcPrice needs it, so deferring the library to the first priced record would move that time into the first invocation of every export with tokens, not remove it.',
    `Warm handler: lambdas/receiver/lambda.ts in this process (tsx), the four AWS clients mocked to resolve at once; ${WARM_UP_CALLS} untimed calls, then ${TIMED_CALLS} calls timed one by one (performance.now()); the per-request EMF line is built but not printed.`,
    'Write units: a write is one WriteRecords request, metered as its bytes (recordBytes of each record as sent, common dimensions once) rounded up to whole KiB — AWS metering-and-pricing.writes ("Each write is counted in units of 1 KiB"; its example batches 12 records in one write), aws-notes.md §1 Pricing. "default" is the receiver as deployed (lambda-config.ts: every kind in the table `events`, told apart by measure name); "per kind" is the same export through the same store with SEATMETER_TABLE_USAGE/_ACTIVITY/_REQUEST set to a table each. (session,model) counts records that name a model; "worst in family" is the highest units/pair over every capture of that client and signal, each sent once with no stored series state.',
  ];
}

function print(m: Measured): void {
  const lines = [
    `seatmeter receiver benchmark — ${machine(esbuildVersion)}`,
    '',
    table([...sizeRows(m), ...m.bundles.flatMap((bundle, index) => coldRows(bundle, m.cold[index])), ...otherFirstRows(m), bootstrapRow(m), ...warmRows(m)]),
    '',
    `Where the SDK-bundled init goes (each part of it bundled alone with the same settings, ${COLD_RUNS} cold starts each; parts overlap in the Node built-ins they load)`,
    partsTable(m),
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
