/**
 * How an OTLP/HTTP answer reads over OTLP/gRPC (OTLP specification, "OTLP/gRPC Response" and "Failures"):
 * success is the same Export*ServiceResponse, partial success included; a failure is a gRPC status whose
 * code tells the exporter whether to retry. UNAVAILABLE carries a google.rpc.RetryInfo only when waiting can
 * help (storage down). An oversized export is RESOURCE_EXHAUSTED *without* RetryInfo, which the spec makes
 * final, because the same batch would be refused again.
 */
import { grpcCodeFor } from '../otlp/error-response.ts';
import { RetryInfo, Status } from '../otlp/proto.ts';

const GRPC_UNAVAILABLE = 14;

/** The trailer gRPC carries a google.rpc.Status with its details in. */
export const STATUS_DETAILS_TRAILER = 'grpc-status-details-bin';

export const RETRY_INFO_TYPE_URL = 'type.googleapis.com/google.rpc.RetryInfo';

export interface GrpcFailure {
  readonly code: number;
  readonly message: string;
  /** The encoded google.rpc.Status for `grpc-status-details-bin`; absent when it would say no more than code and message. */
  readonly details?: Uint8Array;
}

export function grpcFailure(httpStatus: number, message: string, retryAfterSeconds: number | undefined): GrpcFailure {
  const code = grpcCodeFor(httpStatus);
  if (code !== GRPC_UNAVAILABLE || retryAfterSeconds === undefined) return { code, message };
  const retryInfo = RetryInfo.encode(RetryInfo.fromObject({ retryDelay: { seconds: retryAfterSeconds } })).finish();
  const status = Status.fromObject({ code, message, details: [{ type_url: RETRY_INFO_TYPE_URL, value: retryInfo }] });
  return { code, message, details: Status.encode(status).finish() };
}
