// Baggage value octets (the syntax of OTEL_RESOURCE_ATTRIBUTES and OTEL_EXPORTER_OTLP_HEADERS) are printable
// ASCII except space " , ; \ — '=' and '%' are encoded as well, so a pair splits at its one '=' and decoding
// gives back a literal '%'.
const RESERVED = new Set([...'",;\\=%'].map((character) => character.charCodeAt(0)));

function isLiteral(byte: number): boolean {
  return byte > 0x20 && byte < 0x7f && !RESERVED.has(byte);
}

/**
 * Percent-encodes a value for an OTel key=value environment variable. Only what the format reserves is encoded:
 * the Rust SDK inside Codex reads OTEL_RESOURCE_ATTRIBUTES without decoding, so an `@` encoded for no reason
 * would reach seatmeter as `%40`.
 */
export function encodeOtelEnvValue(value: string): string {
  let encoded = '';
  for (const byte of new TextEncoder().encode(value)) {
    encoded += isLiteral(byte) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return encoded;
}

/** OTEL_EXPORTER_OTLP_HEADERS carrying the receiver's bearer token. */
export function bearerHeadersEnv(token: string): string {
  return `Authorization=${encodeOtelEnvValue(`Bearer ${token}`)}`;
}

/** OTEL_RESOURCE_ATTRIBUTES naming the user. */
export function userResourceAttributes(email: string): string {
  return `user.email=${encodeOtelEnvValue(email)}`;
}

const NAMESPACE_KEY = 'service.namespace';

/** `existing` with its service.namespace entry replaced by `repo`; every other entry is kept as written, in order. */
export function withServiceNamespace(existing: string | undefined, repo: string): string {
  const kept = (existing ?? '')
    .split(',')
    .filter((entry) => entry.trim() !== '' && entry.split('=', 1)[0]?.trim() !== NAMESPACE_KEY);
  return [...kept, `${NAMESPACE_KEY}=${encodeOtelEnvValue(repo)}`].join(',');
}
