import { describe, expect, it } from 'vitest';
import { encodeExportResponse } from '../../lambdas/otlp/export-response.ts';
import { ExportLogsServiceResponse, ExportMetricsServiceResponse, ExportTraceServiceResponse } from '../../lambdas/otlp/proto.ts';

const SIGNALS = [
  ['metrics', ExportMetricsServiceResponse, 'rejectedDataPoints'],
  ['logs', ExportLogsServiceResponse, 'rejectedLogRecords'],
  ['traces', ExportTraceServiceResponse, 'rejectedSpans'],
] as const;

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

describe('encodeExportResponse', () => {
  it.each(SIGNALS)('answers a full %s success with an empty message', (signal) => {
    const protobuf = encodeExportResponse(signal, 'protobuf', { rejected: 0, errorMessage: '' });
    const json = encodeExportResponse(signal, 'json', { rejected: 0, errorMessage: '' });
    expect({ bytes: protobuf.body.byteLength, contentType: protobuf.contentType }).toEqual({ bytes: 0, contentType: 'application/x-protobuf' });
    expect({ body: text(json.body), contentType: json.contentType }).toEqual({ body: '{}', contentType: 'application/json' });
  });

  it.each(SIGNALS)('encodes a %s partial success in protobuf', (signal, type, field) => {
    const { body } = encodeExportResponse(signal, 'protobuf', { rejected: 3, errorMessage: '3 points had no model' });
    const decoded = type.toObject(type.decode(body), { longs: Number });
    expect(decoded).toEqual({ partialSuccess: { [field]: 3, errorMessage: '3 points had no model' } });
  });

  it.each(SIGNALS)('encodes a %s partial success in OTLP JSON with the count as a string', (signal, type, field) => {
    const { body } = encodeExportResponse(signal, 'json', { rejected: 3, errorMessage: 'bad "points"' });
    expect(text(body)).toBe(`{"partialSuccess":{"${field}":"3","errorMessage":"bad \\"points\\""}}`);
    expect(type.toObject(type.fromObject(JSON.parse(text(body))), { longs: Number })).toEqual({
      partialSuccess: { [field]: 3, errorMessage: 'bad "points"' },
    });
  });

  it.each(SIGNALS)('sends a %s warning without a rejected count', (signal, type) => {
    const json = encodeExportResponse(signal, 'json', { rejected: 0, errorMessage: 'unknown metrics ignored' });
    const protobuf = encodeExportResponse(signal, 'protobuf', { rejected: 0, errorMessage: 'unknown metrics ignored' });
    expect(text(json.body)).toBe('{"partialSuccess":{"errorMessage":"unknown metrics ignored"}}');
    expect(type.toObject(type.decode(protobuf.body))).toEqual({ partialSuccess: { errorMessage: 'unknown metrics ignored' } });
  });

  it('encodes counts beyond 32 bits', () => {
    const { body } = encodeExportResponse('metrics', 'protobuf', { rejected: 2 ** 40, errorMessage: '' });
    expect(ExportMetricsServiceResponse.toObject(ExportMetricsServiceResponse.decode(body), { longs: String })).toEqual({
      partialSuccess: { rejectedDataPoints: String(2 ** 40) },
    });
  });

  it.each([-1, 1.5, Number.NaN])('refuses a rejected count of %s', (rejected) => {
    expect(() => encodeExportResponse('logs', 'json', { rejected, errorMessage: '' })).toThrow(RangeError);
  });
});
