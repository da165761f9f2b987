/**
 * Regenerates schemas/otlp/descriptor.json from schemas/otlp/**\/*.proto after a .proto file changes:
 * `npx tsx bin/generate-otlp-descriptor.ts`. test/otlp/descriptor.test.ts fails until it is run.
 */
import { writeFileSync } from 'node:fs';
import { DESCRIPTOR_PATH, descriptorOf, descriptorText, parseProtoFiles } from '../lambdas/otlp/proto-source.ts';

writeFileSync(DESCRIPTOR_PATH, descriptorText(descriptorOf(parseProtoFiles())));
process.stdout.write(`wrote ${DESCRIPTOR_PATH}\n`);
