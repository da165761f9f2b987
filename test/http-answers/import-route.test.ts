import { describe, expect, it } from 'vitest';
import { answerImport, isImportPath } from '../../lambdas/http-answers/import-route.ts';
import { IMPORT_ID_PREFIX, sliceKey } from '../../lambdas/import/coverage.ts';
import type { CoverageQuery, SeenByTelemetry, TelemetryCoverage } from '../../lambdas/import/coverage.ts';
import { MAX_IMPORT_CALLS } from '../../lambdas/import/import-body.ts';
import type { SessionCall } from '../../lambdas/import/types.ts';
import { defaultPriceBook } from '../../lambdas/pricing/default-price-book.ts';
import type { UsageRecord } from '../../lambdas/records/types.ts';
import { StorageRefusedError, StorageUnavailableError } from '../../lambdas/store/errors.ts';
import { InMemoryRecordStore } from '../../lambdas/store/memory.ts';

const call = (overrides: Partial<SessionCall> = {}): SessionCall => ({
  tool: 'claude_code',
  session_id: 's-1',
  call_id: 'msg_1/req_1',
  request_id: 'req_1',
  time_ms: Date.parse('2026-11-20T09:00:00Z'),
  model: 'claude-opus-4-8[1m]',
  input_tokens: 1_234,
  cache_read_tokens: 7_000,
  cache_write_tokens: 300,
  output_tokens: 56,
  reasoning_tokens: 0,
  user_email: 'dev@example.com',
  repo: 'acme/shop',
  client_version: '2.1.190',
  ...overrides,
});

/** Telemetry that delivered the given sessions (`tool/id`) and request ids; the queries it was asked. */
function telemetry(sessions: readonly string[] = [], requestIds: readonly string[] = [], failure: Error | null = null, slices: readonly string[] = []): TelemetryCoverage & { asked: CoverageQuery[] } {
  const asked: CoverageQuery[] = [];
  return {
    asked,
    async seen(query): Promise<SeenByTelemetry> {
      asked.push(query);
      if (failure !== null) throw failure;
      return { sessions: new Set(sessions.map((key) => key.replace('/', '\u0001'))), requestIds: new Set(requestIds), slices: new Set(slices) };
    },
  };
}

const body = (calls: readonly unknown[]) => JSON.stringify({ calls });
const json = (answer: { body: Uint8Array }) => JSON.parse(new TextDecoder().decode(answer.body)) as Record<string, unknown>;

describe('the import route', () => {
  it('stores a call as the usage record telemetry would have made, priced, under an id of its own', async () => {
    const store = new InMemoryRecordStore();
    const answer = await answerImport(body([call(), { ...call({ call_id: 'msg_2/req_2', request_id: 'req_2' }), prompt: 'SECRET PROMPT' }]), { store, coverage: telemetry(), pricer: defaultPriceBook() });
    expect(answer.status).toBe(200);
    expect(json(answer)).toEqual({ calls: 2, stored: 2, duplicates: 0, covered: 0, covered_sessions: [], rejected: {}, identity_overrides: 0 });
    const [record] = store.all() as UsageRecord[];
    expect(record).toMatchObject({ kind: 'usage', tool: 'claude_code', model: 'claude-opus-4-8', session_id: 's-1', repo: 'acme/shop', input_tokens: 1_234, estimated_cost_usd: 0.012945 });
    expect(record?.id.startsWith(IMPORT_ID_PREFIX)).toBe(true);
    expect(JSON.stringify(store.all())).not.toContain('SECRET');
    expect(isImportPath('/prod/seatmeter/import')).toBe(true);
  });

  it('is idempotent, and leaves to telemetry the sessions and requests it delivered', async () => {
    const store = new InMemoryRecordStore();
    const ports = { store, coverage: telemetry(['codex/c-1'], ['req_seen']), pricer: defaultPriceBook() };
    const calls = [call(), call({ tool: 'codex', session_id: 'c-1', call_id: 'c-1/1', request_id: null }), call({ session_id: 's-2', call_id: 'msg_9/req_seen', request_id: 'req_seen' })];
    expect(json(await answerImport(body(calls), ports))).toMatchObject({ stored: 1, covered: 2, covered_sessions: ['claude_code/s-2', 'codex/c-1'] });
    expect(json(await answerImport(body(calls), ports))).toMatchObject({ stored: 0, duplicates: 1, covered: 2 });
    expect(ports.coverage.asked[0]).toEqual({ sessions: new Map([['claude_code', ['s-1', 's-2']], ['codex', ['c-1']]]), requestIds: ['req_1', 'req_seen'], slices: [], fromMs: Date.parse('2026-11-19T09:00:00Z'), toMs: Date.parse('2026-11-21T09:00:00Z') });
  });

  it('leaves a Gemini CLI user-day with telemetry to it, whatever the session ids', async () => {
    const store = new InMemoryRecordStore();
    const day = Date.parse('2026-11-20T00:00:00Z');
    const gemini = (id: string, time: string) => call({ tool: 'gemini_cli', session_id: 'file-session', call_id: id, request_id: null, model: 'gemini-3.8-flash', time_ms: Date.parse(time) });
    const ports = { store, coverage: telemetry([], [], null, [sliceKey('gemini_cli', 'dev@example.com', day)]), pricer: defaultPriceBook() };
    const outcome = json(await answerImport(body([gemini('g1', '2026-11-20T09:00:00Z'), gemini('g2', '2026-11-21T09:00:00Z')]), ports));
    expect(outcome).toMatchObject({ stored: 1, covered: 1 });
    expect(ports.coverage.asked[0]?.slices).toEqual([
      { tool: 'gemini_cli', user_email: 'dev@example.com', dayMs: day },
      { tool: 'gemini_cli', user_email: 'dev@example.com', dayMs: day + 86_400_000 },
    ]);
  });

  it('puts a bound credential\'s user on every record, counting the overrides', async () => {
    const store = new InMemoryRecordStore();
    const answer = await answerImport(body([call(), call({ call_id: 'x', user_email: null })]), { store, coverage: telemetry(), pricer: defaultPriceBook() }, 'ana@example.com');
    expect(json(answer)).toMatchObject({ stored: 2, identity_overrides: 1 });
    expect(store.all().map((record) => record.user_email)).toEqual(['ana@example.com', 'ana@example.com']);
  });

  it.each([
    ['not json', 'the body is not JSON'],
    ['{"rows": []}', 'expected {"calls": [...]}'],
    [body([{ ...call(), tool: 'cursor' }]), 'calls[0].tool must be one of claude_code, codex, gemini_cli, got "cursor"'],
    [body([call(), { ...call(), session_id: '' }]), 'calls[1].session_id must be a non-empty string'],
    [body([{ ...call(), repo: 7 }]), 'calls[0].repo must be a string or null'],
    [body([{ ...call(), input_tokens: -1 }]), 'calls[0].input_tokens must be a whole number, not negative'],
    [body([{ ...call(), reasoning_tokens: 57 }]), 'calls[0]: reasoning_tokens exceed output_tokens'],
    [body(Array.from({ length: MAX_IMPORT_CALLS + 1 }, () => call())), `${MAX_IMPORT_CALLS + 1} calls in one request; send at most ${MAX_IMPORT_CALLS}`],
  ])('refuses %s with 400, storing nothing of the batch', async (text, message) => {
    const store = new InMemoryRecordStore();
    const answer = await answerImport(text, { store, coverage: telemetry(), pricer: defaultPriceBook() });
    expect([answer.status, json(answer).error]).toEqual([400, expect.stringContaining(message)]);
    expect(store.all()).toEqual([]);
  });

  it('answers 503 with Retry-After when the store cannot say what telemetry has, and 500 when it refuses', async () => {
    const store = new InMemoryRecordStore();
    const unavailable = await answerImport(body([call()]), { store, coverage: telemetry([], [], new StorageUnavailableError('throttled')), pricer: defaultPriceBook() });
    expect([unavailable.status, unavailable.headers['retry-after']]).toEqual([503, '5']);
    const refused = await answerImport(body([call()]), { store, coverage: telemetry([], [], new StorageRefusedError('no such table')), pricer: defaultPriceBook() });
    expect(refused.status).toBe(500);
    expect(store.all()).toEqual([]);
  });
});
