/**
 * The OTLP protobuf schema, parsed once at module load from schemas/otlp.
 * Message names follow opentelemetry-proto so wire bytes stay compatible with every OTLP exporter.
 */
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import type { Enum, Root, Type } from 'protobufjs';

const SCHEMA_DIR = fileURLToPath(new URL('../../schemas/otlp/', import.meta.url));

const ENTRY_FILES = [
  'collector/metrics/v1/metrics_service.proto',
  'collector/logs/v1/logs_service.proto',
  'collector/trace/v1/trace_service.proto',
  'google/rpc/status.proto',
];

function loadRoot(): Root {
  const root = new protobuf.Root();
  // The schema imports are rooted at schemas/otlp (as with `protoc -I schemas/otlp`), not at the importing file.
  root.resolvePath = (_origin, target) => (isAbsolute(target) ? target : join(SCHEMA_DIR, target));
  root.loadSync(ENTRY_FILES.map((file) => join(SCHEMA_DIR, file)));
  root.resolveAll();
  return root;
}

const root = loadRoot();

export const ExportMetricsServiceRequest: Type = root.lookupType('opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest');
export const ExportMetricsServiceResponse: Type = root.lookupType('opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse');
export const ExportLogsServiceRequest: Type = root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest');
export const ExportLogsServiceResponse: Type = root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse');
export const ExportTraceServiceRequest: Type = root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest');
export const ExportTraceServiceResponse: Type = root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse');

export const Status: Type = root.lookupType('google.rpc.Status');

export const SeverityNumber: Enum = root.lookupEnum('opentelemetry.proto.logs.v1.SeverityNumber');
export const AggregationTemporality: Enum = root.lookupEnum('opentelemetry.proto.metrics.v1.AggregationTemporality');
