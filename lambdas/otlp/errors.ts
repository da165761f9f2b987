/** Why a request body could not be turned into OTLP; each maps to the HTTP status an OTLP collector answers. */
export type DecodeErrorCode =
  | 'unsupported_media_type'
  | 'unsupported_encoding'
  | 'too_large'
  | 'bad_compression'
  | 'malformed_protobuf'
  | 'malformed_json'
  | 'unknown_signal';

const STATUS: Readonly<Record<DecodeErrorCode, number>> = {
  unsupported_media_type: 415,
  unsupported_encoding: 415,
  too_large: 413,
  bad_compression: 400,
  malformed_protobuf: 400,
  malformed_json: 400,
  unknown_signal: 400,
};

export class OtlpDecodeError extends Error {
  readonly code: DecodeErrorCode;
  readonly httpStatus: number;

  constructor(code: DecodeErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OtlpDecodeError';
    this.code = code;
    this.httpStatus = STATUS[code];
  }
}
