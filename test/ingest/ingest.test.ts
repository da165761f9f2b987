import { describe, expect, it } from 'vitest';
import { ingestOtlp } from '../../lambdas/ingest/ingest.ts';
import { OtlpDecodeError } from '../../lambdas/otlp/errors.ts';
import { PriceBook } from '../../lambdas/pricing/price-book.ts';
import type { CanonicalRecord } from '../../lambdas/records/types.ts';
import { InMemoryRecordStore } from '../../lambdas/store/memory.ts';
import type { RecordStore } from '../../lambdas/store/types.ts';
import { InMemorySeriesStateStore } from '../../lambdas/temporality/series-state.ts';
import { loadCapture } from '../support/captures.ts';
import { cumulativeSnapshot } from '../support/claude-token-export.ts';

const pricer = new PriceBook({ version: 'test', models: [] });
const cumulative = loadCapture('claude/claude-protobuf-cumulative/002-v1_metrics');

class UnavailableStore implements RecordStore {
  async write(_records: readonly CanonicalRecord[]): Promise<never> {
    throw new Error('storage unavailable');
  }
}

function otlpJson(body: unknown) {
  return { body: new TextEncoder().encode(JSON.stringify(body)), contentType: 'application/json' };
}

describe('ingestOtlp', () => {
  it('leaves the cumulative baseline untouched when the store fails, so the retry counts the tokens', async () => {
    const state = new InMemorySeriesStateStore();
    await expect(ingestOtlp(cumulative, { store: new UnavailableStore(), state, pricer })).rejects.toThrow('storage unavailable');
    expect(state.size).toBe(0);
    const store = new InMemoryRecordStore();
    const retried = await ingestOtlp(cumulative, { store, state, pricer });
    expect(retried.written).toBe(3);
    expect(store.all().filter((r) => r.kind === 'usage')).toMatchObject([{ input_tokens: 1234, output_tokens: 56 }]);
    expect(state.size).toBe(7);
  });

  it('reports a repeat as duplicates, writing nothing new', async () => {
    const ports = { store: new InMemoryRecordStore(), state: new InMemorySeriesStateStore(), pricer };
    const delta = loadCapture('claude/claude-protobuf-delta/002-v1_metrics');
    const first = await ingestOtlp(delta, ports);
    const again = await ingestOtlp(delta, ports);
    expect([first.written, first.duplicates, again.written, again.duplicates]).toEqual([3, 0, 0, 3]);
  });

  it('throws a typed error for a body that is not OTLP, and stores nothing', async () => {
    const store = new InMemoryRecordStore();
    const ports = { store, state: new InMemorySeriesStateStore(), pricer };
    await expect(ingestOtlp({ body: new TextEncoder().encode('{"resourceMetrics":'), contentType: 'application/json' }, ports)).rejects.toBeInstanceOf(
      OtlpDecodeError,
    );
    expect(store.all()).toEqual([]);
  });

  it('counts traces without storing them', async () => {
    const report = await ingestOtlp(loadCapture('codex/codex-binary/001-v1_traces'), { store: new InMemoryRecordStore(), state: new InMemorySeriesStateStore(), pricer });
    expect(report).toMatchObject({ signal: 'traces', records: [], rejected: 0 });
    expect(report.items).toBe(474);
  });

  it('says what it rejected, what it does not meter and what it cannot price', async () => {
    const point = (value: number, type: string, model: string) => ({
      asDouble: value,
      timeUnixNano: '1795342813895000000',
      attributes: [
        { key: 'model', value: { stringValue: model } },
        { key: 'type', value: { stringValue: type } },
      ],
    });
    const request = otlpJson({
      resourceMetrics: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'claude-code' } }] },
          scopeMetrics: [
            {
              metrics: [
                { name: 'claude_code.token.usage', sum: { aggregationTemporality: 1, dataPoints: [point(-1, 'input', 'claude-opus-4-8'), point(10, 'input', 'claude-future-9')] } },
                { name: 'claude_code.brand_new', sum: { aggregationTemporality: 1, dataPoints: [point(1, 'x', 'y')] } },
              ],
            },
          ],
        },
      ],
    });
    const report = await ingestOtlp(request, { store: new InMemoryRecordStore(), state: new InMemorySeriesStateStore(), pricer });
    expect([report.items, report.accepted, report.rejected, report.written]).toEqual([3, 1, 1, 1]);
    expect(report.message).toBe(
      'rejected: claude_code.token.usage: negative value ×1; not metered (unknown to seatmeter): claude_code.brand_new ×1; ' +
        'stored without cost (no price for model, tokens): claude-future-9 ×10',
    );
    expect(report.records).toMatchObject([{ model: 'claude-future-9', input_tokens: 10, estimated_cost_usd: null, price_version: null }]);
  });

  it('counts two cumulative snapshots stamped in the same millisecond once each, under distinct ids', async () => {
    const snapshot = (input: number) => cumulativeSnapshot(input, '1795342813895000000');
    const store = new InMemoryRecordStore();
    const ports = { store, state: new InMemorySeriesStateStore(), pricer };
    const first = await ingestOtlp(snapshot(100), ports);
    const second = await ingestOtlp(snapshot(150), ports);
    const retried = await ingestOtlp(snapshot(150), ports);
    const late = await ingestOtlp(snapshot(100), ports);
    expect([first.written, second.written, retried.written, late.written]).toEqual([1, 1, 0, 0]);
    expect(store.all().map((r) => (r.kind === 'usage' ? r.input_tokens : null))).toEqual([100, 50]);
    expect(new Set(store.all().map((r) => r.id)).size).toBe(2);
  });

  it('stamps the bound credential\'s user on every record and reports payloads that named someone else', async () => {
    const capture = loadCapture('claude/claude-protobuf-delta/002-v1_metrics');
    const ports = { store: new InMemoryRecordStore(), state: new InMemorySeriesStateStore(), pricer };
    const report = await ingestOtlp(capture, ports, { boundUserEmail: 'ada@example.com' });
    expect(new Set(report.records.map((r) => r.user_email))).toEqual(new Set(['ada@example.com']));
    expect(report.identityOverrides).toBe(3);
    expect(report.message).toBe("3 records named another user; stored as ada@example.com, the credential's user");
  });

  it('counts records the store refused as rejected, and keeps the rest', async () => {
    const refusing: RecordStore = {
      write: async (records) => ({ written: records.length - 1, duplicates: 0, rejected: new Map([['record too old', 1]]), rejectedIds: new Set(['x']) }),
    };
    const report = await ingestOtlp(loadCapture('claude/claude-protobuf-delta/002-v1_metrics'), { store: refusing, state: new InMemorySeriesStateStore(), pricer });
    expect([report.items, report.accepted, report.rejected, report.written]).toEqual([7, 6, 1, 2]);
    expect(report.message).toBe('rejected: store: record too old ×1');
  });
});
