import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ingestOtlp } from '../../lambdas/ingest/ingest.ts';
import { PriceBook } from '../../lambdas/pricing/price-book.ts';
import type { CanonicalRecord, UsageRecord } from '../../lambdas/records/types.ts';
import { InMemoryRecordStore } from '../../lambdas/store/memory.ts';
import { InMemorySeriesStateStore } from '../../lambdas/temporality/series-state.ts';
import { CAPTURES, loadCapture } from '../support/captures.ts';
import { FIXTURE_TOTALS } from '../support/fixture-totals.ts';
import type { Capture } from '../support/captures.ts';

const EXPECTED = Object.fromEntries(FIXTURE_TOTALS.map(([user, tool, model, ...numbers]) => [`${user ?? ''}|${tool}|${model}`, numbers]));

type Totals = Record<string, [number, number, number, number, number, number]>;

function totals(records: readonly CanonicalRecord[]): Totals {
  const out: Totals = {};
  for (const r of records.filter((x): x is UsageRecord => x.kind === 'usage')) {
    const key = `${r.user_email ?? ''}|${r.tool}|${r.model}`;
    const t = (out[key] ??= [0, 0, 0, 0, 0, 0]);
    t[0] += r.input_tokens;
    t[1] += r.cache_read_tokens;
    t[2] += r.cache_write_tokens;
    t[3] += r.output_tokens;
    t[4] += r.reasoning_tokens;
    t[5] += r.estimated_cost_usd ?? Number.NaN;
  }
  return out;
}

function rounded(t: Totals): Totals {
  return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, [v[0], v[1], v[2], v[3], v[4], Math.round(v[5] * 1e9) / 1e9]])) as Totals;
}

function pipeline() {
  const store = new InMemoryRecordStore();
  const ports = { store, state: new InMemorySeriesStateStore(), pricer: new PriceBook({ version: 'test', models: [] }) };
  const post = (r: Capture) =>
    ingestOtlp({ body: r.body, contentType: r.contentType, contentEncoding: r.contentEncoding, pathHint: r.path }, ports);
  return { store, post };
}

async function replay(requests: readonly Capture[], times = 1) {
  const { store, post } = pipeline();
  for (let i = 0; i < times; i += 1) for (const request of requests) await post(request);
  return store.all();
}

/** A fixed permutation, so the "any order" check is deterministic. */
function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  let seed = 7;
  for (let i = out.length - 1; i > 0; i -= 1) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

const requests = CAPTURES.map(([id]) => loadCapture(id));

describe('the real clients’ captures', () => {
  it('are all present', () => {
    expect(requests.length).toBe(38);
  });

  it('yield exactly the README totals, token by token and cost by cost', async () => {
    expect(rounded(totals(await replay(requests)))).toEqual(EXPECTED);
  });

  it('yield the same totals in reverse and shuffled order', async () => {
    expect(rounded(totals(await replay([...requests].reverse())))).toEqual(EXPECTED);
    expect(rounded(totals(await replay(shuffled(requests))))).toEqual(EXPECTED);
  });

  it('double nothing when everything is replayed a second time', async () => {
    const once = await replay(requests);
    const twice = await replay(requests, 2);
    expect(twice.length).toBe(once.length);
    expect(rounded(totals(twice))).toEqual(EXPECTED);
  });

  it('yield the same totals gzipped and posted to /', async () => {
    const plain = requests.filter((r) => r.contentEncoding === undefined);
    const variants = plain.map((r) => ({ ...r, body: gzipSync(r.body), contentEncoding: 'gzip', path: '/' }));
    const alreadyGzipped = requests.filter((r) => r.contentEncoding === 'gzip').map((r) => ({ ...r, path: '/' }));
    expect(alreadyGzipped).toHaveLength(2);
    expect(rounded(totals(await replay([...variants, ...alreadyGzipped])))).toEqual(EXPECTED);
  });

  it('estimate exactly what Claude Code itself reported', async () => {
    const claude = (await replay(requests)).filter((r): r is UsageRecord => r.kind === 'usage' && r.tool === 'claude_code');
    expect(claude.length).toBeGreaterThan(0);
    for (const record of claude) expect(record.estimated_cost_usd).toBeCloseTo(record.reported_cost_usd ?? Number.NaN, 12);
  });

  it('keep one request record per model call', async () => {
    const records = await replay(requests);
    const calls = records.filter((r) => r.kind === 'request').map((r) => `${r.tool}:${r.kind === 'request' ? r.event : ''}`);
    const count = (name: string) => calls.filter((c) => c === name).length;
    // Claude: 4 single-call runs + 2 calls in the tool-use run + 1 haiku run; Codex: 6 runs; Gemini: 2 + 2 + 1.
    expect([count('claude_code:api_request'), count('codex:codex.sse_event'), count('gemini_cli:gemini_cli.api_response')]).toEqual([7, 6, 5]);
  });

  it('never let a prompt string into any record', async () => {
    const text = JSON.stringify(await replay(requests));
    for (const prompt of ['say hi', 'run echo hi']) expect(text).not.toContain(prompt);
  });
});
