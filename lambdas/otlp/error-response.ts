/** Encodes the google.rpc.Status body OTLP/HTTP asks for on failures, in the request's encoding. */
import type { EncodedResponse } from './export-response.ts';
import type { OtlpEncoding } from './media-type.ts';
import { Status } from './proto.ts';

/** gRPC status codes for the HTTP statuses a receiver answers with (OTLP maps between the two). */
const GRPC_CODES: Readonly<Record<number, number>> = {
  400: 3, // INVALID_ARGUMENT
  401: 16, // UNAUTHENTICATED
  403: 7, // PERMISSION_DENIED
  404: 5, // NOT_FOUND
  405: 12, // UNIMPLEMENTED
  413: 8, // RESOURCE_EXHAUSTED
  415: 3, // INVALID_ARGUMENT
  429: 8, // RESOURCE_EXHAUSTED
  503: 14, // UNAVAILABLE
};

/** The gRPC status code OTLP pairs with an HTTP status; UNKNOWN (2) for any other. */
export function grpcCodeFor(httpStatus: number): number {
  return GRPC_CODES[httpStatus] ?? 2;
}

/** `encoding` is unknown when the content type itself was refused; JSON is then the readable choice. */
export function encodeErrorStatus(encoding: OtlpEncoding | undefined, httpStatus: number, message: string): EncodedResponse {
  const status = { code: grpcCodeFor(httpStatus), message };
  if (encoding === 'protobuf') {
    return { body: Status.encode(Status.fromObject(status)).finish(), contentType: 'application/x-protobuf' };
  }
  return { body: new TextEncoder().encode(JSON.stringify(status)), contentType: 'application/json' };
}
