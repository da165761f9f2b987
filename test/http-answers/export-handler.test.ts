import { describe, expect, it } from 'vitest';
import { Status } from '../../lambdas/otlp/proto.ts';
import { PriceBook } from '../../lambdas/pricing/price-book.ts';
import { answerExport } from '../../lambdas/http-answers/export-handler.ts';
import type { RecordStore } from '../../lambdas/store/types.ts';
import { InMemoryRecordStore } from '../../lambdas/store/memory.ts';
import { InMemorySeriesStateStore } from '../../lambdas/temporality/series-state.ts';
import { loadCapture } from '../support/captures.ts';

const pricer = new PriceBook({ version: 'test', models: [] });
const failing: RecordStore = {
  write: () => Promise.reject(new Error('disk full')),
};

describe('answerExport', () => {
  it('answers 503 with Retry-After when storage fails, so the client retries', async () => {
    const capture = loadCapture('claude/claude-protobuf-delta/002-v1_metrics');
    const answer = await answerExport({ ...capture }, { store: failing, state: new InMemorySeriesStateStore(), pricer });
    expect([answer.status, answer.headers['retry-after'], answer.headers['content-type']]).toEqual([503, '5', 'application/x-protobuf']);
    expect(Status.toObject(Status.decode(answer.body))).toEqual({ code: 14, message: 'storage unavailable, nothing was stored; retry later (disk full)' });
  });

  it('answers a refused body with a google.rpc.Status in JSON when the content type is unusable', async () => {
    const answer = await answerExport(
      { path: '/v1/logs', body: new Uint8Array([1]), contentType: 'text/csv', contentEncoding: undefined },
      { store: new InMemoryRecordStore(), state: new InMemorySeriesStateStore(), pricer },
    );
    expect(answer.status).toBe(415);
    expect(JSON.parse(new TextDecoder().decode(answer.body))).toEqual({
      code: 3,
      message: 'unsupported Content-Type "text/csv"; expected application/x-protobuf, application/protobuf or application/json',
    });
  });

  it('summarises an accepted export for the log without any payload text', async () => {
    const capture = loadCapture('gemini/gemini-http-json/002-v1_logs');
    const answer = await answerExport({ ...capture }, { store: new InMemoryRecordStore(), state: new InMemorySeriesStateStore(), pricer });
    expect(answer.status).toBe(200);
    expect(answer.summary).toMatch(/^logs json items=\d+ stored=2 duplicates=0 rejected=0/);
    expect(answer.summary).not.toContain('say hi');
  });
});
