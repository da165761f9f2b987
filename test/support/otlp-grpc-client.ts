/**
 * A bare OTLP/gRPC exporter: grpc-js with the collector services' method paths, sending protobuf bytes as they
 * are (an SDK's gRPC exporter puts the same Export*ServiceRequest bytes on the wire).
 */
import { Metadata, credentials, makeGenericClientConstructor, status } from '@grpc/grpc-js';
import type { Client, ServiceError } from '@grpc/grpc-js';
import { ExportLogsServiceRequest, ExportMetricsServiceRequest, ExportTraceServiceRequest } from '../../lambdas/otlp/proto.ts';
import type { Signal } from '../../lambdas/otlp/types.ts';
import type { Capture } from './captures.ts';
import { OTLP_GRPC_SERVICES, exportMethod } from '../../lambdas/grpc/otlp-grpc-server.ts';

const SERVICE: Readonly<Record<Signal, string>> = {
  logs: serviceOf('/v1/logs'),
  metrics: serviceOf('/v1/metrics'),
  traces: serviceOf('/v1/traces'),
};

function serviceOf(httpPath: string): string {
  const found = OTLP_GRPC_SERVICES.find((service) => service.httpPath === httpPath);
  if (found === undefined) throw new Error(`no OTLP/gRPC service for ${httpPath}`);
  return found.name;
}

const REQUEST_TYPE = { logs: ExportLogsServiceRequest, metrics: ExportMetricsServiceRequest, traces: ExportTraceServiceRequest } as const;

export interface GrpcOutcome {
  /** 0 (OK) or the gRPC status code. */
  readonly code: number;
  readonly details: string;
  readonly trailers: Metadata | undefined;
  readonly response: Uint8Array | undefined;
}

const passBytes = (bytes: Buffer): Buffer => bytes;

export interface GrpcExportOptions {
  readonly token?: string;
  readonly gzip?: boolean;
}

export function grpcExport(address: string, signal: Signal, body: Uint8Array, options: GrpcExportOptions = {}): Promise<GrpcOutcome> {
  const Constructor = makeGenericClientConstructor(exportMethod(SERVICE[signal]), SERVICE[signal]);
  // grpc-js numbers gzip 2 (compressionAlgorithms).
  const client: Client = new Constructor(address, credentials.createInsecure(), options.gzip === true ? { 'grpc.default_compression_algorithm': 2 } : {});
  const metadata = new Metadata();
  if (options.token !== undefined) metadata.set('authorization', `Bearer ${options.token}`);
  return new Promise((resolve) => {
    client.makeUnaryRequest(`/${SERVICE[signal]}/Export`, passBytes, passBytes, Buffer.from(body), metadata, (error: ServiceError | null, response?: Buffer) => {
      client.close();
      if (error === null) resolve({ code: status.OK, details: '', trailers: undefined, response: response === undefined ? undefined : new Uint8Array(response) });
      else resolve({ code: error.code, details: error.details, trailers: error.metadata, response: undefined });
    });
  });
}

/** OTLP/JSON carries trace and span ids as hex; protobuf as bytes. */
const ID_FIELDS = new Set(['traceId', 'spanId', 'parentSpanId']);

function withBinaryIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withBinaryIds);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key, ID_FIELDS.has(key) && typeof inner === 'string' ? Buffer.from(inner, 'hex') : withBinaryIds(inner)]),
  );
}

/** A captured OTLP/JSON export as the protobuf an OTLP/gRPC exporter would send for it. */
export function captureAsProtobuf(capture: Capture, signal: Signal): Uint8Array {
  const json = JSON.parse(new TextDecoder().decode(capture.body)) as unknown;
  const type = REQUEST_TYPE[signal];
  return type.encode(type.fromObject(withBinaryIds(json) as Record<string, unknown>)).finish();
}
