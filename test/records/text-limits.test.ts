import { describe, expect, it } from 'vitest';
import { TEXT_LIMITS, capRecordText } from '../../lambdas/records/text-limits.ts';
import { activity, request, usage } from '../support/records.ts';

describe('capRecordText', () => {
  it('leaves records within every limit as they are (the same objects)', () => {
    const records = [usage(), activity(), request()];
    const capped = capRecordText(records);
    expect(capped.records.every((record, i) => record === records[i])).toBe(true);
    expect(capped.truncated.size).toBe(0);
  });

  it('cuts each over-long field to its limit, keeps the tokens, and counts the cuts per field', () => {
    const capped = capRecordText([
      usage({ model: 'm'.repeat(10_000), repo: 'r'.repeat(201), input_tokens: 42 }),
      request({ error: 'e'.repeat(5_000) }),
      activity({ detail: 'd'.repeat(TEXT_LIMITS.detail) }),
    ]);
    expect(capped.records.map((r) => [r.kind, r.model?.length, r.repo?.length])).toEqual([
      ['usage', 128, 200],
      ['request', request().model.length, request().repo?.length],
      ['activity', activity().model?.length, activity().repo?.length],
    ]);
    expect(capped.records[0]).toMatchObject({ input_tokens: 42 });
    expect(capped.records[1]).toMatchObject({ error: 'e'.repeat(500) });
    expect([...capped.truncated]).toEqual([
      ['repo', 1],
      ['model', 1],
      ['error', 1],
    ]);
  });

  it('never leaves half of a surrogate pair at the cut', () => {
    const model = `${'a'.repeat(127)}😀tail`;
    const [record] = capRecordText([usage({ model })]).records;
    expect(record?.model).toBe('a'.repeat(127));
  });
});
