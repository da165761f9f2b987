/**
 * The OTLP protobuf schema, built once at module load from schemas/otlp/descriptor.json (generated from the
 * .proto files there; see proto-source.ts). Loading a descriptor needs only protobufjs' light build, without
 * its .proto parser, and a cold start neither reads files nor parses .proto text.
 * Message names follow opentelemetry-proto so wire bytes stay compatible with every OTLP exporter.
 */
import protobuf from 'protobufjs/light.js';
import type { Enum, INamespace, Type } from 'protobufjs';
import descriptor from '../../schemas/otlp/descriptor.json' with { type: 'json' };

// fromJSON resolves every type reference too: a broken descriptor fails the cold start, not a request.
const root = protobuf.Root.fromJSON(descriptor as INamespace);

export const ExportMetricsServiceRequest: Type = root.lookupType('opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest');
export const ExportMetricsServiceResponse: Type = root.lookupType('opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse');
export const ExportLogsServiceRequest: Type = root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest');
export const ExportLogsServiceResponse: Type = root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse');
export const ExportTraceServiceRequest: Type = root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest');
export const ExportTraceServiceResponse: Type = root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse');

export const Status: Type = root.lookupType('google.rpc.Status');
export const RetryInfo: Type = root.lookupType('google.rpc.RetryInfo');

export const SeverityNumber: Enum = root.lookupEnum('opentelemetry.proto.logs.v1.SeverityNumber');
export const AggregationTemporality: Enum = root.lookupEnum('opentelemetry.proto.metrics.v1.AggregationTemporality');
