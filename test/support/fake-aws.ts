/**
 * The five AWS APIs the receiver calls, answered on 127.0.0.1, so that a bundle started in a fresh process can
 * be invoked for real: its own copy of the SDK resolves credentials, discovers the Timestream endpoints, builds,
 * signs and sends every request, and parses every answer. (aws-sdk-client-mock cannot reach into a bundle's
 * private SDK copy, and there is no network to AWS here.) The child points its SDK here with AWS_ENDPOINT_URL.
 *
 * Each answer is the smallest success body the API documents for that call, except Timestream's probe query,
 * which counts the records WriteRecords received here (in any process, since the server outlives them), so a
 * read-back finds a probe only if an export really stored it. Anything else is answered 400 with the operation
 * named, so a receiver change that calls something new fails loudly.
 */
import { createServer } from 'node:http';
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buffer } from 'node:stream/consumers';
import type { WriteRecordsRequest } from '@aws-sdk/client-timestream-write';
import { answerProbeQuery, storedRows } from './timestream-tables.ts';

export interface FakeAws {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Operations served, in order (`Service.Operation`), since the last call. */
  readonly takeOperations: () => string[];
  readonly close: () => Promise<void>;
}

type Json = Record<string, unknown>;

/** The Timestream database the fake holds: the one the benchmark's and the tests' Lambda environment names. */
const DATABASE = 'seatmeter';

function answerJson(response: ServerResponse, status: number, body: Json): void {
  response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
  response.end(JSON.stringify(body));
}

/** The JSON-protocol calls, by X-Amz-Target. */
function jsonAnswer(target: string, input: Json, secretString: string, host: string, written: WriteRecordsRequest[]): Json | null {
  switch (target) {
    case 'secretsmanager.GetSecretValue':
      return { ARN: `arn:aws:secretsmanager:us-east-1:123456789012:secret:${String(input.SecretId)}`, Name: input.SecretId, SecretString: secretString };
    case 'Timestream_20181101.DescribeEndpoints':
      return { Endpoints: [{ Address: host, CachePeriodInMinutes: 1440 }] };
    case 'Timestream_20181101.WriteRecords': {
      written.push(input as unknown as WriteRecordsRequest);
      const total = Array.isArray(input.Records) ? input.Records.length : 0;
      return { RecordsIngested: { Total: total, MemoryStore: total, MagneticStore: 0 } };
    }
    case 'Timestream_20181101.Query': {
      const rows = storedRows(written.filter((request) => request.DatabaseName === DATABASE));
      return { ...answerProbeQuery(String(input.QueryString), DATABASE, rows, Date.now()) };
    }
    case 'DynamoDB_20120810.BatchGetItem': {
      const tables = Object.keys((input.RequestItems ?? {}) as Json);
      return { Responses: Object.fromEntries(tables.map((table) => [table, []])), UnprocessedKeys: {} };
    }
    case 'DynamoDB_20120810.PutItem':
    case 'DynamoDB_20120810.DeleteItem':
      return {};
    default:
      return null;
  }
}

export async function startFakeAws(secretString: string): Promise<FakeAws> {
  let operations: string[] = [];
  const written: WriteRecordsRequest[] = [];
  const server = createServer((request, response) => {
    void buffer(request).then((body) => {
      const target = request.headers['x-amz-target'];
      if (typeof target === 'string') {
        operations.push(target);
        let answer: Json | null;
        try {
          answer = jsonAnswer(target, JSON.parse(body.toString('utf8') || '{}') as Json, secretString, '127.0.0.1', written);
        } catch (error) {
          // A request the fake cannot answer, such as a query other than the probe's: refused the way AWS refuses one.
          answerJson(response, 400, { __type: 'ValidationException', message: error instanceof Error ? error.message : String(error) });
          return;
        }
        if (answer === null) answerJson(response, 400, { __type: 'UnknownOperationException', message: `the benchmark's fake AWS does not serve ${target}` });
        else answerJson(response, 200, answer);
        return;
      }
      // S3 addressed by IP is path-style: PUT /<bucket>/<key>.
      if (request.method === 'PUT') {
        operations.push('S3.PutObject');
        response.writeHead(200, { etag: '"bench"' });
        response.end();
        return;
      }
      // GET /<bucket>/team_map/latest.json: the rollup has not published a team map yet.
      if (request.method === 'GET' && String(request.url).includes('/team_map/latest.json')) {
        operations.push('S3.GetObject');
        response.writeHead(404, { 'content-type': 'application/xml' });
        response.end('<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>');
        return;
      }
      operations.push(`${String(request.method)} ${String(request.url)}`);
      response.writeHead(400, { 'content-type': 'application/xml' });
      response.end(`<Error><Code>InvalidRequest</Code><Message>the benchmark's fake AWS does not serve ${String(request.method)}</Message></Error>`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    takeOperations: () => {
      const taken = operations;
      operations = [];
      return taken;
    },
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
      }),
  };
}
