/**
 * `npm run bench` (second part): the local server under load, run the way a user runs it (`seatmeter serve`
 * as its own process, on loopback), fed a real Claude Code metrics export by autocannon. Prints sustained
 * requests/s and p50 / p99 latency of a timed run, then the server's memory (RSS and DuckDB file size) after
 * 100,000 requests, and checks that the server stored everything it acknowledged.
 *
 * Every request is a distinct variant of the capture (times shifted by one second per variant, its own
 * session.id): identical bytes would only exercise the duplicate path, since record ids derive from content.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, cpus, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import type { Options as LoadOptions, Request as LoadRequest, Result as LoadResult } from 'autocannon';
import { decodeOtlpRequest } from '../lambdas/otlp/decode.ts';
import { ExportMetricsServiceRequest } from '../lambdas/otlp/proto.ts';
import { normalizeRequest } from '../lambdas/normalize/normalize.ts';
import type { ReportRow } from '../lambdas/report/report-types.ts';
import { databasePath } from '../lambdas/store/duckdb/database.ts';
import { loadCapture } from '../test/support/captures.ts';
import { exited, spawnServer } from '../test/support/local-server-process.ts';
import type { ServerProcess } from '../test/support/local-server-process.ts';

const CAPTURE_ID = 'claude/claude-protobuf-delta/002-v1_metrics';
/** The capture's one `claude_code.token.usage` point of type input. */
const INPUT_TOKENS_PER_EXPORT = 1234;
/** Warm-up included: memory is read once this many requests have been sent. */
const TOTAL_REQUESTS = 100_000;
const WARM_UP_REQUESTS = 2_000;
const TIMED_SECONDS = 20;
/** Exporters in flight at once, each waiting for its answer before sending again (OTLP exporters do). */
const CONNECTIONS = 16;
/** About 10,000 developers' exports per second (each exports every few seconds), with the p99 a client's timeout never nears. */
const GOAL = { requestsPerSecond: 2_500, p99Ms: 50 } as const;
const NANOS_PER_SECOND = 1_000_000_000n;
const HOUR_MS = 3_600_000;
const PROGRESS_EVERY = 10_000;

// ---------------------------------------------------------------------------------------------------------
// Request bodies

/** The OTLP JSON mapping of the capture, as protobufjs `toObject` gives it (64-bit times as decimal strings). */
interface PlainRequest {
  resourceMetrics?: { scopeMetrics?: { metrics?: PlainMetric[] }[] }[];
}
interface PlainMetric {
  sum?: PlainPoints;
  gauge?: PlainPoints;
  histogram?: PlainPoints;
  exponentialHistogram?: PlainPoints;
  summary?: PlainPoints;
}
interface PlainPoints {
  dataPoints?: PlainPoint[];
}
interface PlainPoint {
  startTimeUnixNano?: string;
  timeUnixNano?: string;
  attributes?: { key: string; value?: { stringValue?: string } }[];
}

function toPlain(bytes: Uint8Array): PlainRequest {
  return ExportMetricsServiceRequest.toObject(ExportMetricsServiceRequest.decode(bytes), { longs: String }) as PlainRequest;
}

function dataPoints(request: PlainRequest): PlainPoint[] {
  return (request.resourceMetrics ?? [])
    .flatMap((resource) => resource.scopeMetrics ?? [])
    .flatMap((scope) => scope.metrics ?? [])
    .flatMap((metric) => [metric.sum, metric.gauge, metric.histogram, metric.exponentialHistogram, metric.summary])
    .flatMap((points) => points?.dataPoints ?? []);
}

function sessionAttributes(point: PlainPoint): { value?: { stringValue?: string } }[] {
  return (point.attributes ?? []).filter((attribute) => attribute.key === 'session.id');
}

/**
 * The capture, encoded once, plus where its per-variant fields sit. Re-encoding with protobufjs per request
 * costs ~150 µs, enough CPU in this process to slow the server it shares the machine with; patching a copy
 * costs a few µs. The times are fixed64 (8 little-endian bytes) and the session id a fixed-length UUID, so a
 * variant has exactly the template's layout. `checkVariant` proves the patching against protobufjs.
 */
interface Template {
  readonly bytes: Buffer;
  /** Every start/end time: where its 8 bytes are and the value found there. */
  readonly times: readonly { readonly offset: number; readonly nanos: bigint }[];
  /** Every session.id value's UTF-8 bytes. */
  readonly sessionOffsets: readonly number[];
  readonly sessionId: string;
  readonly earliestMs: number;
  readonly latestMs: number;
}

function offsetsOf(haystack: Buffer, needle: Buffer): number[] {
  const offsets: number[] = [];
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length)) offsets.push(at);
  return offsets;
}

function fixed64(nanos: bigint): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(nanos);
  return bytes;
}

function loadTemplate(bytes: Buffer): Template {
  const points = dataPoints(toPlain(bytes));
  const timeValues = points.flatMap((point) => [point.startTimeUnixNano, point.timeUnixNano]).map((text) => BigInt(text ?? '0'));
  const times = [...new Set(timeValues)].flatMap((nanos) => offsetsOf(bytes, fixed64(nanos)).map((offset) => ({ offset, nanos })));
  const sessionIds = points.flatMap((point) => sessionAttributes(point).map((attribute) => attribute.value?.stringValue));
  const sessionId = sessionIds[0];
  if (sessionId === undefined || sessionId.length !== 36 || sessionIds.some((id) => id !== sessionId)) {
    throw new Error(`expected one UUID session.id in ${CAPTURE_ID}, found ${JSON.stringify([...new Set(sessionIds)])}`);
  }
  const sessionOffsets = offsetsOf(bytes, Buffer.from(sessionId));
  // Each value must be found exactly where the fields are: no more (a coincidental byte match), no fewer.
  if (timeValues.includes(0n) || times.length !== timeValues.length || sessionOffsets.length !== sessionIds.length) {
    throw new Error(`could not locate the times and session ids of ${CAPTURE_ID} in its bytes`);
  }
  const millis = timeValues.map((nanos) => Number(nanos / 1_000_000n));
  return { bytes, times, sessionOffsets, sessionId, earliestMs: Math.min(...millis), latestMs: Math.max(...millis) };
}

/** Same shape as the original UUID, distinct per variant. */
function variantSessionId(original: string, index: number): string {
  return `${original.slice(0, 24)}${index.toString(16).padStart(12, '0')}`;
}

/** Variant `index`: every time `index` seconds later, and a session of its own. */
function variant(template: Template, index: number): Buffer {
  const body = Buffer.from(template.bytes);
  const shift = BigInt(index) * NANOS_PER_SECOND;
  for (const { offset, nanos } of template.times) body.writeBigUInt64LE(nanos + shift, offset);
  const sessionId = variantSessionId(template.sessionId, index);
  for (const offset of template.sessionOffsets) body.write(sessionId, offset, 'utf8');
  return body;
}

/** Decodes a patched variant and compares it, whole, with the same edits made on the decoded capture. */
function checkVariant(template: Template, index: number): void {
  const expected = toPlain(template.bytes);
  const shift = BigInt(index) * NANOS_PER_SECOND;
  for (const point of dataPoints(expected)) {
    point.startTimeUnixNano = String(BigInt(point.startTimeUnixNano ?? '0') + shift);
    point.timeUnixNano = String(BigInt(point.timeUnixNano ?? '0') + shift);
    for (const attribute of sessionAttributes(point)) attribute.value = { stringValue: variantSessionId(template.sessionId, index) };
  }
  if (JSON.stringify(toPlain(variant(template, index))) !== JSON.stringify(expected)) {
    throw new Error(`variant ${index} of ${CAPTURE_ID} does not decode to the capture with shifted times and a new session`);
  }
}

/** How many rows one export becomes: what each request makes the server write. */
function recordsPerExport(bytes: Uint8Array): number {
  const { request } = decodeOtlpRequest({ body: bytes, contentType: 'application/x-protobuf' });
  return normalizeRequest(request, new Map()).records.length;
}

// ---------------------------------------------------------------------------------------------------------
// Load

/**
 * Latencies and status codes of a span of requests (a phase, or one block of the progress log), recorded
 * from autocannon's per-request hooks rather than taken from its result: that covers only a whole run, its
 * latency histogram counts whole milliseconds, and it arrives at the next one-second sample tick, which would
 * inflate a run's duration.
 */
class Tally {
  readonly latenciesMs: number[] = [];
  readonly statuses = new Map<number, number>();
  readonly startedAt = performance.now();
  lastResponseAt = this.startedAt;

  record(status: number, latencyMs: number, now: number): void {
    this.latenciesMs.push(latencyMs);
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
    this.lastResponseAt = now;
  }

  get answered(): number {
    return this.latenciesMs.length;
  }

  get non200(): number {
    return this.answered - (this.statuses.get(200) ?? 0);
  }

  get requestsPerSecond(): number {
    return (this.answered / (this.lastResponseAt - this.startedAt)) * 1000;
  }

  /** Nearest-rank percentile, `p` in 0..1. */
  latencyMs(p: number): number {
    const sorted = [...this.latenciesMs].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? Number.NaN;
  }
}

class Phase extends Tally {
  sent = 0;
  /** Connection errors and timeouts, as autocannon counts them. */
  errors = 0;

  constructor(readonly name: string) {
    super();
  }
}

/** Per connection, one request in flight (pipelining 1): autocannon hands the same context to both hooks. */
interface SendClock {
  sentAt?: number;
}

/** Drives the server until `limit` with bodies from a counter shared across phases, so none repeats. */
async function drive(
  url: string,
  template: Template,
  counter: { next: number },
  phase: Phase,
  progress: ProgressLog,
  limit: Pick<LoadOptions, 'amount' | 'duration'>,
): Promise<void> {
  const request: LoadRequest = {
    method: 'POST',
    path: '/v1/metrics',
    headers: { 'content-type': 'application/x-protobuf' },
    // Called right before each write: the body and the clock start here.
    setupRequest(next, context) {
      next.body = variant(template, counter.next++);
      phase.sent++;
      (context as SendClock).sentAt = performance.now();
      return next;
    },
    onResponse(status, _body, context) {
      const now = performance.now();
      const latencyMs = now - ((context as SendClock).sentAt ?? now);
      phase.record(status, latencyMs, now);
      progress.record(status, latencyMs, now);
    },
  };
  const result: LoadResult = await autocannon({ url, connections: CONNECTIONS, pipelining: 1, requests: [request], ...limit });
  phase.errors = result.errors;
}

/**
 * A row every PROGRESS_EVERY answers, printed as it happens: the run takes minutes, and the rows show whether
 * throughput, latency and memory drift as the tables grow.
 */
class ProgressLog {
  static readonly WIDTHS = [9, 11, 7, 11, 11, 11, 14];
  readonly #server: ServerProcess;
  readonly #dataDir: string;
  readonly #startedAt = performance.now();
  #block = new Tally();
  #answered = 0;

  constructor(server: ServerProcess, dataDir: string) {
    this.#server = server;
    this.#dataDir = dataDir;
    this.#print(['answered', 'elapsed', 'req/s', 'p50', 'p99', 'RSS', 'DuckDB+WAL']);
  }

  record(status: number, latencyMs: number, now: number): void {
    this.#block.record(status, latencyMs, now);
    if (++this.#answered % PROGRESS_EVERY !== 0) return;
    const memory = readMemory('', this.#server, this.#dataDir);
    this.#print([
      count(this.#answered),
      duration(now - this.#startedAt),
      count(this.#block.requestsPerSecond),
      millis(this.#block.latencyMs(0.5)),
      millis(this.#block.latencyMs(0.99)),
      mebibytes(memory.rssBytes),
      mebibytes(memory.databaseBytes + memory.walBytes),
    ]);
    this.#block = new Tally();
  }

  #print(cells: readonly string[]): void {
    process.stdout.write(`  ${cells.map((cell, i) => cell.padStart(ProgressLog.WIDTHS[i] ?? 0)).join(' ')}\n`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Server facts

interface Memory {
  readonly label: string;
  readonly rssBytes: number;
  readonly peakRssBytes: number;
  readonly databaseBytes: number;
  readonly walBytes: number;
}

/** VmRSS / VmHWM from /proc, in kB there. */
function procStatusBytes(pid: number, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (match?.[1] === undefined) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(match[1]) * 1024;
}

function fileBytes(path: string): number {
  return existsSync(path) ? statSync(path).size : 0;
}

function readMemory(label: string, server: ServerProcess, dataDir: string): Memory {
  const pid = server.child.pid;
  if (pid === undefined) throw new Error('the server has no pid');
  const database = databasePath(dataDir);
  return {
    label,
    rssBytes: procStatusBytes(pid, 'VmRSS'),
    peakRssBytes: procStatusBytes(pid, 'VmHWM'),
    databaseBytes: fileBytes(database),
    walBytes: fileBytes(`${database}.wal`),
  };
}

/** Input tokens the server reports over every variant's time span. */
async function storedInputTokens(url: string, template: Template, variants: number): Promise<number> {
  const from = template.earliestMs - HOUR_MS;
  const to = template.latestMs + variants * 1000 + HOUR_MS;
  const response = await fetch(`${url}/api/report?from=${from}&to=${to}&by=user`);
  if (!response.ok) throw new Error(`GET /api/report answered ${response.status}: ${await response.text()}`);
  const rows = (await response.json()) as ReportRow[];
  return rows.reduce((sum, row) => sum + row.input_tokens, 0);
}

// ---------------------------------------------------------------------------------------------------------
// Output

const count = (n: number): string => Math.round(n).toLocaleString('en-US');
const millis = (ms: number): string => `${ms.toFixed(2)} ms`;
const mebibytes = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  // First column left-aligned (labels), the others right-aligned (numbers).
  const cells = (row: readonly string[]) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)));
  return rows.map((row) => `  ${cells(row).join('   ')}`).join('\n');
}

function phaseTable(phases: readonly Phase[]): string {
  const header = ['phase', 'sent', 'answered', 'duration', 'req/s', 'p50', 'p99', 'max', 'non-200', 'errors'];
  const rows = phases.map((phase) => [
    phase.name,
    count(phase.sent),
    count(phase.answered),
    duration(phase.lastResponseAt - phase.startedAt),
    count(phase.requestsPerSecond),
    millis(phase.latencyMs(0.5)),
    millis(phase.latencyMs(0.99)),
    millis(phase.latencyMs(1)),
    count(phase.non200),
    count(phase.errors),
  ]);
  return table([header, ...rows]);
}

function memoryTable(samples: readonly Memory[]): string {
  const header = ['server process', 'RSS', 'peak RSS', 'DuckDB file', 'DuckDB WAL'];
  const rows = samples.map((sample) => [sample.label, mebibytes(sample.rssBytes), mebibytes(sample.peakRssBytes), mebibytes(sample.databaseBytes), mebibytes(sample.walBytes)]);
  return table([header, ...rows]);
}

function machine(): string {
  const autocannonVersion = (createRequire(import.meta.url)('autocannon/package.json') as { version: string }).version;
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `node ${process.version}, ${availableParallelism()} CPUs (${cpu}), ${mebibytes(totalmem())} RAM, Linux ${release()}; autocannon ${autocannonVersion}`;
}

// ---------------------------------------------------------------------------------------------------------
// Run

interface Outcome {
  readonly phases: readonly Phase[];
  readonly memory: readonly Memory[];
  /** Bodies written to the server, each a distinct variant. */
  readonly sent: number;
}

/** Warm-up, the timed run, then on to TOTAL_REQUESTS; memory read when idle, after the timed run and at the end. */
async function load(server: ServerProcess, dataDir: string, template: Template): Promise<Outcome> {
  const memory = [readMemory('idle', server, dataDir)];
  const counter = { next: 0 };
  process.stdout.write(`progress (a row every ${count(PROGRESS_EVERY)} answers):\n`);
  const progress = new ProgressLog(server, dataDir);
  const warmUp = new Phase('warm-up');
  await drive(server.url, template, counter, warmUp, progress, { amount: WARM_UP_REQUESTS });
  const timed = new Phase(`timed run`);
  await drive(server.url, template, counter, timed, progress, { duration: TIMED_SECONDS });
  memory.push(readMemory(`after ${count(counter.next)} requests`, server, dataDir));
  const phases = [warmUp, timed];
  const remaining = TOTAL_REQUESTS - counter.next;
  if (remaining >= CONNECTIONS) {
    const eta = duration((remaining / timed.requestsPerSecond) * 1000);
    process.stdout.write(`  (timed run over; ${count(remaining)} requests to go, about ${eta} at its rate)\n`);
    const rest = new Phase(`rest to ${count(TOTAL_REQUESTS)}`);
    await drive(server.url, template, counter, rest, progress, { amount: remaining });
    phases.push(rest);
  }
  // The timed run stops with requests in flight, which the server still stores: let it finish.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  memory.push(readMemory(`after ${count(counter.next)} requests`, server, dataDir));
  return { phases, memory, sent: counter.next };
}

/** Prints the two checks; true when both pass. */
async function check(server: ServerProcess, template: Template, outcome: Outcome): Promise<boolean> {
  const answered = outcome.phases.reduce((sum, phase) => sum + phase.answered, 0);
  const bad = outcome.phases.reduce((sum, phase) => sum + phase.non200 + phase.errors, 0);
  const stored = await storedInputTokens(server.url, template, outcome.sent);
  const expected = INPUT_TOKENS_PER_EXPORT * outcome.sent;
  process.stdout.write(
    `check: every response was 200 … ${bad === 0 ? 'ok' : 'FAILED'} (${count(answered - bad)} of ${count(answered)} answered 200; ` +
      `${count(outcome.sent - answered)} more sent but cut off when the timed run stopped)\n` +
      `check: stored input tokens = ${INPUT_TOKENS_PER_EXPORT} × ${count(outcome.sent)} distinct variants sent = ${count(expected)} … ` +
      `${stored === expected ? 'ok' : `FAILED (the report shows ${count(stored)})`}\n`,
  );
  if (bad !== 0) {
    const lines = server.output.filter((line) => line.includes('POST /v1/metrics ') && !line.includes('POST /v1/metrics 200')).slice(0, 5);
    process.stdout.write(`first non-200 lines of the server log:\n${lines.join('\n')}\n`);
  }
  return bad === 0 && stored === expected;
}

async function main(server: ServerProcess, dataDir: string): Promise<boolean> {
  const template = loadTemplate(Buffer.from(loadCapture(CAPTURE_ID).body));
  checkVariant(template, 0);
  checkVariant(template, TOTAL_REQUESTS);
  process.stdout.write(
    `seatmeter server benchmark — ${machine()}\n` +
      `\`seatmeter serve\` as its own process; ${CONNECTIONS} connections, pipelining 1, POST /v1/metrics (application/x-protobuf) on loopback\n` +
      `body: ${CAPTURE_ID}.bin, ${count(template.bytes.length)} B, ${dataPoints(toPlain(template.bytes)).length} points → ` +
      `${recordsPerExport(template.bytes)} records; every request a distinct variant (own session, times +1 s each)\n\n`,
  );
  const outcome = await load(server, dataDir, template);
  const { phases, memory, sent } = outcome;
  const timed = phases[1];
  const last = memory.at(-1);
  if (timed === undefined || last === undefined) throw new Error('no timed run');
  process.stdout.write(
    `\n${phaseTable(phases)}\n\n${memoryTable(memory)}\n\n` +
      `sustained (timed run, ${TIMED_SECONDS} s): ${count(timed.requestsPerSecond)} requests/s, p50 ${millis(timed.latencyMs(0.5))}, p99 ${millis(timed.latencyMs(0.99))}\n` +
      `after ${count(sent)} requests: server RSS ${mebibytes(last.rssBytes)} (peak ${mebibytes(last.peakRssBytes)}), ` +
      `DuckDB ${mebibytes(last.databaseBytes)} file + ${mebibytes(last.walBytes)} WAL\n`,
  );
  const fast = timed.requestsPerSecond >= GOAL.requestsPerSecond && timed.latencyMs(0.99) < GOAL.p99Ms;
  process.stdout.write(`goal: ≥ ${count(GOAL.requestsPerSecond)} requests/s with p99 < ${GOAL.p99Ms} ms at ${CONNECTIONS} connections … ${fast ? 'ok' : 'MISSED'}\n`);
  return (await check(server, template, outcome)) && fast;
}

let cleaning: Promise<void> | undefined;

/** Stops the server (it closes DuckDB on SIGTERM) and removes its data; once, however often it is asked. */
function cleanUp(server: ServerProcess | undefined, dataDir: string): Promise<void> {
  cleaning ??= (async () => {
    if (server !== undefined) {
      server.child.kill('SIGTERM');
      await exited(server.child);
    }
    rmSync(dataDir, { recursive: true, force: true });
  })();
  return cleaning;
}

const dataDir = mkdtempSync(join(tmpdir(), 'seatmeter-bench-'));
let server: ServerProcess | undefined;
// The run takes minutes: an interrupted run must not leave a server or a database behind either. `on`, not
// `once`: under tsx a Ctrl-C arrives twice (from the terminal, then relayed by tsx's parent process), and a
// signal nobody listens to any more would end this process before the server is gone.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => void cleanUp(server, dataDir).finally(() => process.exit(130)));
}
try {
  server = await spawnServer(dataDir);
  if (!(await main(server, dataDir))) process.exitCode = 1;
} finally {
  await cleanUp(server, dataDir);
}
