/**
 * OTLP/gRPC on the local pipeline: the three collector services (logs, metrics, traces), whose Export
 * requests arrive as the same protobuf bytes an OTLP/HTTP protobuf export POSTs, so each is answered by the
 * same export path under the HTTP path its signal has. gRPC message compression (gzip, deflate) is undone by
 * grpc-js before a handler sees the bytes; its size limit is checked on the decompressed message.
 */
import { Metadata, Server, ServerCredentials, status } from '@grpc/grpc-js';
import type { ServerUnaryCall, ServiceDefinition, UntypedServiceImplementation, sendUnaryData } from '@grpc/grpc-js';
import { matchCredential } from '../http-answers/credentials.ts';
import type { ExportAnswer, ExportRequest } from '../http-answers/export-handler.ts';
import { STATUS_DETAILS_TRAILER, grpcFailure } from './export-status.ts';

/** The OTLP services and the OTLP/HTTP path of the signal each carries. */
export const OTLP_GRPC_SERVICES = [
  { name: 'opentelemetry.proto.collector.logs.v1.LogsService', httpPath: '/v1/logs' },
  { name: 'opentelemetry.proto.collector.metrics.v1.MetricsService', httpPath: '/v1/metrics' },
  { name: 'opentelemetry.proto.collector.trace.v1.TraceService', httpPath: '/v1/traces' },
] as const;

export interface OtlpGrpcServerOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** When set, every call needs `authorization: Bearer <token>` (or Basic with it as the password) metadata. */
  readonly token: string | undefined;
  readonly maxMessageBytes: number;
  /** The export path the HTTP receiver answers with, so both transports store, refuse and count alike. */
  readonly answer: (request: ExportRequest) => Promise<ExportAnswer>;
  /** One line per call; never carries payload content. */
  readonly log: (line: string) => void;
}

export interface OtlpGrpcServer {
  /** `host:port`, as OTEL_EXPORTER_OTLP_ENDPOINT takes it after `http://`. */
  readonly address: string;
  close(): Promise<void>;
}

const CLOSE_GRACE_MS = 5_000;

const passBytes = (bytes: Buffer): Buffer => bytes;

/** A service's one method, Export, with bytes passed as they are: the export path decodes them itself. */
export function exportMethod(service: string): ServiceDefinition {
  return {
    Export: {
      path: `/${service}/Export`,
      requestStream: false,
      responseStream: false,
      requestSerialize: passBytes,
      requestDeserialize: passBytes,
      responseSerialize: passBytes,
      responseDeserialize: passBytes,
    },
  };
}

/** A metadata key's one value; a repeated key counts as absent, as a repeated HTTP header does. */
function metadataText(metadata: Metadata, key: string): string | undefined {
  const values = metadata.get(key);
  return values.length === 1 && typeof values[0] === 'string' ? values[0] : undefined;
}

export async function startOtlpGrpcServer(options: OtlpGrpcServerOptions): Promise<OtlpGrpcServer> {
  const server = new Server({
    'grpc.max_receive_message_length': options.maxMessageBytes,
  });
  for (const service of OTLP_GRPC_SERVICES) {
    const method = `${service.name.slice(service.name.lastIndexOf('.') + 1)}/Export`;
    const handler = (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>): void => {
      const started = performance.now();
      const finish = (code: number, summary: string): void => {
        options.log(`gRPC ${method} ${status[code] ?? code} ${summary} ${(performance.now() - started).toFixed(1)}ms`);
      };
      if (options.token !== undefined && matchCredential(metadataText(call.metadata, 'authorization'), [{ secret: options.token }]) === null) {
        callback({ code: status.UNAUTHENTICATED, details: 'missing or wrong credentials' });
        finish(status.UNAUTHENTICATED, 'unauthorized');
        return;
      }
      options
        .answer({ path: service.httpPath, body: call.request, contentType: 'application/x-protobuf', contentEncoding: undefined })
        .then((answer) => {
          if (answer.status === 200) {
            callback(null, Buffer.from(answer.body));
            finish(status.OK, answer.summary);
            return;
          }
          const retryAfter = answer.headers['retry-after'];
          const failure = grpcFailure(answer.status, answer.summary, retryAfter === undefined ? undefined : Number(retryAfter));
          const trailers = new Metadata();
          if (failure.details !== undefined) trailers.set(STATUS_DETAILS_TRAILER, Buffer.from(failure.details));
          callback({ code: failure.code, details: failure.message, metadata: trailers });
          finish(failure.code, answer.summary);
        })
        .catch((error: unknown) => {
          callback({ code: status.INTERNAL, details: 'internal error' });
          finish(status.INTERNAL, error instanceof Error ? error.message : String(error));
        });
    };
    const implementation: UntypedServiceImplementation = { Export: handler };
    server.addService(exportMethod(service.name), implementation);
  }
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${host}:${options.port}`, ServerCredentials.createInsecure(), (error, bound) => {
      if (error === null) resolve(bound);
      else reject(error);
    });
  });
  return {
    address: `${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        // Calls still running finish first; a client that holds its stream open does not hold the shutdown.
        const force = setTimeout(() => server.forceShutdown(), CLOSE_GRACE_MS);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      }),
  };
}
