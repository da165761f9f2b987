import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/** A Lambda behind an API Gateway HTTP API route: payload format 2.0 in, a structured 2.0 result out. */
export type HttpApiLambda = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

/** One request as the Lambda saw it, and what it answered (`null` when it threw). */
export interface Exchange {
  readonly event: APIGatewayProxyEventV2;
  readonly result: APIGatewayProxyStructuredResultV2 | null;
}

export interface LambdaHttpAdapter {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  /** Every request passed to the Lambda, in arrival order. */
  readonly exchanges: readonly Exchange[];
  close(): Promise<void>;
}

const ACCOUNT_ID = '123456789012';
const API_ID = 'local';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** API Gateway's `requestContext.time`: `22/Nov/2026:10:00:00 +0000`. */
function gatewayTime(epochMs: number): string {
  const d = new Date(epochMs);
  const two = (n: number): string => String(n).padStart(2, '0');
  return (
    `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`
  );
}

/**
 * Header names lower-cased, repeated headers joined with commas; cookies move to their own field (payload
 * format 2.0 has no multi-value fields). Node has already joined most repeats, so this works from rawHeaders.
 */
function gatewayHeaders(rawHeaders: readonly string[]): { headers: Record<string, string>; cookies: string[] } {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] ?? '').toLowerCase();
    const value = rawHeaders[i + 1] ?? '';
    if (name === 'cookie') {
      cookies.push(...value.split(';').map((c) => c.trim()).filter((c) => c !== ''));
      continue;
    }
    headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
  }
  return { headers, cookies };
}

function queryParameters(rawQueryString: string): Record<string, string> | undefined {
  if (rawQueryString === '') return undefined;
  const out: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(rawQueryString)) out[key] = out[key] === undefined ? value : `${out[key]},${value}`;
  return out;
}

/**
 * HTTP APIs pass a body as text only when it is plainly text (a textual media type, not content-encoded);
 * anything else (protobuf, gzip) reaches the Lambda base64-encoded with `isBase64Encoded: true`.
 */
function isTextBody(headers: Readonly<Record<string, string>>): boolean {
  if (headers['content-encoding'] !== undefined && headers['content-encoding'] !== 'identity') return false;
  const type = (headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return (
    type.startsWith('text/') ||
    type === 'application/json' ||
    type.endsWith('+json') ||
    type === 'application/xml' ||
    type.endsWith('+xml') ||
    type === 'application/javascript' ||
    type === 'application/x-www-form-urlencoded'
  );
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** The payload format 2.0 event API Gateway builds for this request on the `$default` route and stage. */
export function toHttpApiEvent(request: IncomingMessage, body: Buffer, receivedAtMs: number): APIGatewayProxyEventV2 {
  const target = request.url ?? '/';
  const queryAt = target.indexOf('?');
  const rawPath = queryAt === -1 ? target : target.slice(0, queryAt);
  const rawQueryString = queryAt === -1 ? '' : target.slice(queryAt + 1);
  const { headers, cookies } = gatewayHeaders(request.rawHeaders);
  const host = (headers.host ?? '127.0.0.1').split(':')[0] ?? '127.0.0.1';
  const method = request.method ?? 'GET';
  const text = isTextBody(headers);
  const queryStringParameters = queryParameters(rawQueryString);
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    ...(cookies.length === 0 ? {} : { cookies }),
    headers,
    ...(queryStringParameters === undefined ? {} : { queryStringParameters }),
    requestContext: {
      accountId: ACCOUNT_ID,
      apiId: API_ID,
      domainName: host,
      domainPrefix: host.split('.')[0] ?? host,
      http: {
        method,
        path: rawPath,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: gatewayTime(receivedAtMs),
      timeEpoch: receivedAtMs,
    },
    ...(body.byteLength === 0 ? {} : { body: text ? body.toString('utf8') : body.toString('base64') }),
    isBase64Encoded: body.byteLength !== 0 && !text,
  };
}

function writeResult(response: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  const body = result.body === undefined ? Buffer.alloc(0) : Buffer.from(result.body, result.isBase64Encoded === true ? 'base64' : 'utf8');
  response.statusCode = result.statusCode ?? 200;
  for (const [name, value] of Object.entries(result.headers ?? {})) response.setHeader(name, String(value));
  if (result.cookies !== undefined && result.cookies.length > 0) response.setHeader('set-cookie', result.cookies);
  response.setHeader('content-length', body.byteLength);
  response.end(body);
}

/** What API Gateway answers when the integration fails. */
function writeInternalError(response: ServerResponse): void {
  const body = Buffer.from('{"message":"Internal Server Error"}');
  response.writeHead(500, { 'content-type': 'application/json', 'content-length': body.byteLength });
  response.end(body);
}

/**
 * A node:http server on 127.0.0.1 (an ephemeral port) standing in for API Gateway in front of `lambda`:
 * each request becomes a payload format 2.0 event, and the Lambda's result becomes the HTTP response.
 */
export async function startLambdaHttpAdapter(lambda: HttpApiLambda): Promise<LambdaHttpAdapter> {
  const exchanges: Exchange[] = [];
  const server = createServer((request, response) => {
    const receivedAtMs = Date.now();
    readBody(request)
      .then(async (body) => {
        const event = toHttpApiEvent(request, body, receivedAtMs);
        let result: APIGatewayProxyStructuredResultV2;
        try {
          result = await lambda(event);
        } catch {
          exchanges.push({ event, result: null });
          writeInternalError(response);
          return;
        }
        exchanges.push({ event, result });
        writeResult(response, result);
      })
      .catch(() => writeInternalError(response));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    exchanges,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
      }),
  };
}
