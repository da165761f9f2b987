import { describe, expect, it } from 'vitest';
import { emfDocument } from '../../lambdas/metrics/emf.ts';

describe('emfDocument', () => {
  it('lets no property shadow a dimension or a metric CloudWatch extracts', () => {
    const document = emfDocument({
      namespace: 'Seatmeter',
      dimensions: { Service: 'receiver' },
      metrics: [{ name: 'Requests', unit: 'Count', value: 1 }],
      properties: { Service: 'spoofed', Requests: 'many', requestId: 'req-1' },
      timestampMs: Date.parse('2026-11-22T10:00:01.234Z'),
    });
    expect([document.Service, document.Requests, document.requestId]).toEqual(['receiver', 1, 'req-1']);
  });
});
