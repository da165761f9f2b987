import { OnboardingInputError } from './errors.ts';

const SIGNAL_PATH = /\/v1\/(?:logs|metrics|traces)$/;

/** The receiver's base URL: http(s) only, no credentials, query or fragment, no trailing slash. */
export function receiverEndpoint(raw: string | undefined): string {
  if (raw === undefined || raw.trim() === '') {
    throw new OnboardingInputError('--endpoint is required: the base URL of the seatmeter receiver, e.g. http://127.0.0.1:4318');
  }
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new OnboardingInputError(`--endpoint "${raw}" is not a URL; give the receiver's base URL, e.g. http://127.0.0.1:4318`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new OnboardingInputError(`--endpoint must start with http:// or https://, got "${raw}"`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new OnboardingInputError('--endpoint must not carry credentials; pass the secret with --token');
  }
  if (url.search !== '' || url.hash !== '') {
    throw new OnboardingInputError('--endpoint must not have a query or fragment: the clients append /v1/logs and /v1/metrics to it');
  }
  const base = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  if (SIGNAL_PATH.test(base)) {
    throw new OnboardingInputError('--endpoint is the receiver\'s base URL: drop the /v1/... path, each client adds its own');
  }
  return base;
}

// Narrower than RFC 5321 on purpose: these characters need no escaping in JSON, TOML, .env or shell, nor
// percent-encoding in OTEL_RESOURCE_ATTRIBUTES, which Codex's Rust SDK reads without decoding.
const EMAIL = /^[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

export function userEmail(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (!EMAIL.test(raw)) {
    throw new OnboardingInputError(`--user "${raw}" is not an e-mail address seatmeter accepts (letters, digits, . _ + - before the @, a dotted domain after)`);
  }
  return raw;
}

// An HTTP header value must be visible ASCII; a space or newline would also split the header.
const TOKEN = /^[\x21-\x7e]+$/;

export function bearerToken(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  // The message never echoes the token: it is a secret and may end up in a terminal log.
  if (!TOKEN.test(raw)) throw new OnboardingInputError('--token must be printable ASCII with no spaces or control characters');
  return raw;
}
