import { describe, expect, it } from 'vitest';
import { redactExport } from '../../lambdas/archive/redact.ts';
import { ingestOtlp } from '../../lambdas/ingest/ingest.ts';
import { PriceBook } from '../../lambdas/pricing/price-book.ts';
import { InMemoryRecordStore } from '../../lambdas/store/memory.ts';
import { InMemorySeriesStateStore } from '../../lambdas/temporality/series-state.ts';
import { CAPTURES, loadCapture } from '../support/captures.ts';

const PRIVATE = ['say hi', 'run echo hi', 'process.command_args', 'gen_ai.system_instructions', 'gen_ai.input.messages'];
const stored = CAPTURES.filter(([, signal]) => signal !== 'traces');

function ingest(body: Uint8Array, contentType: string, contentEncoding: string | undefined) {
  const ports = { store: new InMemoryRecordStore(), state: new InMemorySeriesStateStore(), pricer: new PriceBook({ version: 'test', models: [] }) };
  return ingestOtlp({ body, contentType, contentEncoding }, ports);
}

async function redacted(id: string, signal: string) {
  const capture = loadCapture(id);
  const report = await ingest(capture.body, capture.contentType, capture.contentEncoding);
  return { capture, report, redacted: redactExport(report.payload, report.encoding, signal as 'metrics' | 'logs') };
}

describe('redactExport', () => {
  it.each(stored)('keeps no prompt text from %s', async (id, signal) => {
    const text = Buffer.from((await redacted(id, signal)).redacted.body).toString('latin1');
    expect(PRIVATE.filter((needle) => text.includes(needle))).toEqual([]);
  });

  it.each(stored)('keeps everything metered from %s: the redacted body yields the same records', async (id, signal) => {
    const { capture, report, redacted: archived } = await redacted(id, signal);
    expect((await ingest(archived.body, capture.contentType, undefined)).records).toEqual(report.records);
  });

  it('finds prompt text in the raw captures in the first place', () => {
    const raw = stored.map(([id]) => Buffer.from(loadCapture(id).body).toString('latin1')).join('');
    expect(raw).toContain('say hi');
  });
});
