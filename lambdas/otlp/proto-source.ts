/**
 * The OTLP schema as written: schemas/otlp/**\/*.proto, parsed with protobufjs' .proto parser. These files are
 * the source of truth; schemas/otlp/descriptor.json is generated from them (bin/generate-otlp-descriptor.ts)
 * so that the receiver loads a ready descriptor instead of shipping and parsing .proto text at every cold start.
 * A test holds the two equal.
 */
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import type { INamespace, Root } from 'protobufjs';

export const SCHEMA_DIR = fileURLToPath(new URL('../../schemas/otlp/', import.meta.url));
export const DESCRIPTOR_PATH = join(SCHEMA_DIR, 'descriptor.json');

const ENTRY_FILES = [
  'collector/metrics/v1/metrics_service.proto',
  'collector/logs/v1/logs_service.proto',
  'collector/trace/v1/trace_service.proto',
  'google/rpc/status.proto',
  'google/rpc/error_details.proto',
];

export function parseProtoFiles(): Root {
  const root = new protobuf.Root();
  // The schema imports are rooted at schemas/otlp (as with `protoc -I schemas/otlp`), not at the importing file.
  root.resolvePath = (_origin, target) => (isAbsolute(target) ? target : join(SCHEMA_DIR, target));
  root.loadSync(ENTRY_FILES.map((file) => join(SCHEMA_DIR, file)));
  root.resolveAll();
  return root;
}

/** The descriptor as descriptor.json holds it: a plain-data tree that `Root.fromJSON` rebuilds. */
export function descriptorOf(root: Root): INamespace {
  return root.toJSON({ keepComments: false });
}

/** The file's text: two-space JSON and a final newline, so a regenerated file diffs cleanly. */
export function descriptorText(descriptor: INamespace): string {
  return `${JSON.stringify(descriptor, null, 2)}\n`;
}
