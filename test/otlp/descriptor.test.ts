import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ExportMetricsServiceRequest } from '../../lambdas/otlp/proto.ts';
import { DESCRIPTOR_PATH, descriptorOf, descriptorText, parseProtoFiles } from '../../lambdas/otlp/proto-source.ts';

describe('schemas/otlp/descriptor.json', () => {
  it('is exactly what the .proto files generate (else run `npx tsx bin/generate-otlp-descriptor.ts`)', () => {
    expect(readFileSync(DESCRIPTOR_PATH, 'utf8')).toBe(descriptorText(descriptorOf(parseProtoFiles())));
  });

  it('rebuilds, in the receiver, the same schema the .proto files define', () => {
    const loaded = ExportMetricsServiceRequest.root;
    expect(descriptorOf(loaded)).toEqual(descriptorOf(parseProtoFiles()));
  });
});
