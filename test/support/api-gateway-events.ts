import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Capture } from './captures.ts';

/** The API Gateway HTTP API (payload 2.0) event for a captured request: binary bodies arrive base64-encoded. */
export function apiGatewayEvent(capture: Capture, headers: Record<string, string> = {}, method = 'POST'): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: capture.path,
    rawQueryString: '',
    headers: {
      'content-type': capture.contentType,
      ...(capture.contentEncoding === undefined ? {} : { 'content-encoding': capture.contentEncoding }),
      ...headers,
    },
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'example.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'example',
      http: { method, path: capture.path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.9', userAgent: 'OTel-OTLP-Exporter-JavaScript/0.208.0' },
      requestId: `req-${capture.path}`,
      routeKey: '$default',
      stage: '$default',
      time: '22/Nov/2026:10:00:00 +0000',
      timeEpoch: Date.parse('2026-11-22T10:00:00Z'),
    },
    body: Buffer.from(capture.body).toString('base64'),
    isBase64Encoded: true,
  };
}
