import { OtlpDecodeError } from './errors.ts';

/** The two OTLP/HTTP body encodings; a response is sent in the encoding of its request. */
export type OtlpEncoding = 'protobuf' | 'json';

/**
 * Maps a Content-Type header to the OTLP encoding. Media types compare case-insensitively and
 * parameters are ignored, except that JSON must be UTF-8 (RFC 8259): another declared charset would
 * be parsed as the wrong text, so it is refused rather than guessed at.
 */
export function parseContentType(header: string | undefined): OtlpEncoding {
  const [rawType = '', ...params] = (header ?? '').split(';');
  const type = rawType.trim().toLowerCase();
  if (type === 'application/x-protobuf' || type === 'application/protobuf') return 'protobuf';
  if (type === 'application/json') {
    const charset = charsetOf(params);
    if (charset === undefined || charset === 'utf-8' || charset === 'utf8') return 'json';
    throw new OtlpDecodeError('unsupported_media_type', `unsupported JSON charset "${charset}"; OTLP/JSON is UTF-8`);
  }
  const shown = type === '' ? 'missing Content-Type' : `unsupported Content-Type "${type}"`;
  throw new OtlpDecodeError(
    'unsupported_media_type',
    `${shown}; expected application/x-protobuf, application/protobuf or application/json`,
  );
}

function charsetOf(params: readonly string[]): string | undefined {
  for (const param of params) {
    const eq = param.indexOf('=');
    const name = param.slice(0, eq).trim().toLowerCase();
    if (eq > 0 && name === 'charset') return param.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1').toLowerCase();
  }
  return undefined;
}
