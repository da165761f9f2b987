import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { redactExport } from '../archive/redact.ts';
import type { RawArchive } from '../archive/types.ts';
import type { IngestPorts } from '../ingest/ingest.ts';
import { DEFAULT_MAX_BODY_BYTES } from '../otlp/decode.ts';
import type { TelemetryCoverage } from '../import/coverage.ts';
import type { ProbeReader } from '../probe/types.ts';
import { CredentialSourceError } from './credential-types.ts';
import type { CredentialSource } from './credential-types.ts';
import { WWW_AUTHENTICATE, matchCredential } from '../http-answers/credentials.ts';
import { RETRY_AFTER_SECONDS, answerExport, errorAnswer } from '../http-answers/export-handler.ts';
import type { ExportAnswer } from '../http-answers/export-handler.ts';
import { budgetStatus } from '../local/budget-api.ts';
import { BUDGET_STATUS_PATH, CLAUDE_CODE_HOOK_PATH, DECISION_PATH, REPO_HEADER, USER_HEADER, answerClaudeCodeHook, answerDecision } from '../http-answers/budget-answers.ts';
import type { BudgetAnswer, BudgetServices } from '../http-answers/budget-answers.ts';
import { jsonAnswer } from '../http-answers/json-answer.ts';
import { answerImport, isImportPath } from '../http-answers/import-route.ts';
import { answerProbe, probeSessionInPath } from '../http-answers/probe-route.ts';
import { reportFacts } from './request-metrics.ts';
import type { RequestFacts } from './request-metrics.ts';

export interface ReceiverDependencies {
  readonly credentials: CredentialSource;
  readonly ports: IngestPorts;
  readonly archive: RawArchive;
  /** Answers doctor's read-back from the store the exports go to. */
  readonly probes: ProbeReader;
  /** What `seatmeter import` batches are checked against: the sessions telemetry delivered to that store. */
  readonly coverage: TelemetryCoverage;
  /**
   * What the budget routes read (fresh per request: it reads the published standings at most once). Without
   * it the decision and hook paths are not routes.
   */
  readonly budgets?: () => BudgetServices;
  /** Cap on the body after base64 decoding, before decompression. */
  readonly maxBodyBytes?: number;
  /** Called once per request, with what it came to. */
  readonly log?: (facts: Readonly<RequestFacts>) => void;
  readonly now?: () => number;
}

export type ReceiverHandler = (event: APIGatewayProxyEventV2, context?: { readonly awsRequestId?: string }) => Promise<APIGatewayProxyStructuredResultV2>;

function toResult(answer: Pick<ExportAnswer, 'status' | 'headers' | 'body'>): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: answer.status,
    headers: { ...answer.headers },
    body: Buffer.from(answer.body).toString('base64'),
    isBase64Encoded: true,
  };
}

function unavailable(message: string): ExportAnswer {
  return errorAnswer(undefined, 503, message, { 'retry-after': String(RETRY_AFTER_SECONDS) });
}

/**
 * The hard cap's routes, under the same credentials as the exports: a credential bound to a user asks only
 * about that user (budget-answers.ts). A table that cannot be read answers 503, so the hook applies its
 * own --fail policy, rather than an allow the meter could not vouch for.
 */
async function answerBudgetRoute(path: string, body: Uint8Array, headers: Readonly<Record<string, string | undefined>>, boundUserEmail: string | undefined, services: BudgetServices): Promise<BudgetAnswer> {
  try {
    return path === DECISION_PATH ? await answerDecision(body, boundUserEmail, services) : await answerClaudeCodeHook(body, { user: headers[USER_HEADER], repo: headers[REPO_HEADER] }, boundUserEmail, services);
  } catch (error) {
    return budgetsUnavailable(error);
  }
}

function budgetsUnavailable(error: unknown): BudgetAnswer {
  const message = `budgets unavailable; retry later (${error instanceof Error ? error.message : String(error)})`;
  return jsonAnswer(503, { error: message }, message, { 'retry-after': String(RETRY_AFTER_SECONDS) });
}

/** Everyone's budgets: a developer's own credential sees only what its decisions say, never this. */
async function answerBudgetStatus(boundUserEmail: string | undefined, services: BudgetServices): Promise<BudgetAnswer> {
  if (boundUserEmail !== undefined) return jsonAnswer(403, { error: 'budget status is for team credentials; a developer\'s credential asks /v1/budget/decision' }, 'status refused');
  try {
    return jsonAnswer(200, { budgets: await budgetStatus(services) }, 'budget status');
  } catch (error) {
    return budgetsUnavailable(error);
  }
}

/**
 * The receiver Lambda behind an API Gateway HTTP API (payload format 2.0), on any route: authenticate,
 * then the same decode → normalize → price → store path as local mode, then archive the body — and only
 * then 200. Anything that fails after authentication and before the archive answers 503 with Retry-After:
 * the client retries, and records' content-derived ids make the retry write nothing twice. The one GET it
 * serves, as authenticated as an export, is doctor's read-back: `<any prefix>/seatmeter/probe/<session id>`.
 */
export function createReceiverHandler(dependencies: ReceiverDependencies): ReceiverHandler {
  const maxBodyBytes = dependencies.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const log = dependencies.log ?? (() => undefined);
  const now = dependencies.now ?? Date.now;

  return async (event, context) => {
    const started = now();
    const requestId = context?.awsRequestId ?? event.requestContext.requestId;
    const headers = event.headers ?? {};
    const fields: Omit<RequestFacts, 'status' | 'outcome' | 'ms'> = { requestId, method: event.requestContext.http.method, path: event.rawPath };
    const finish = (answer: Pick<ExportAnswer, 'status' | 'headers' | 'body' | 'summary'>): APIGatewayProxyStructuredResultV2 => {
      log({ ...fields, status: answer.status, outcome: answer.summary, ms: now() - started });
      return toResult(answer);
    };

    const method = event.requestContext.http.method;
    const probeSession = method === 'GET' ? probeSessionInPath(event.rawPath) : null;
    const statusRoute = method === 'GET' && dependencies.budgets !== undefined && event.rawPath.endsWith(BUDGET_STATUS_PATH);
    if (method !== 'POST' && probeSession === null && !statusRoute) {
      return finish(errorAnswer(undefined, 405, 'OTLP exports and budget decisions are POSTed; GET serves only <prefix>/seatmeter/probe/<session id>', { allow: 'POST' }));
    }
    const body = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
    if (body.byteLength > maxBodyBytes) {
      return finish(
        errorAnswer(
          undefined,
          413,
          `body of ${body.byteLength} bytes exceeds the ${maxBodyBytes}-byte limit; API Gateway base64-encodes binary bodies into ` +
            "Lambda's 6 MB payload limit, so keep exports under about 4 MiB gzipped (lower the exporter's batch size)",
        ),
      );
    }

    let credentials;
    try {
      credentials = await dependencies.credentials.credentials();
    } catch (error) {
      if (!(error instanceof CredentialSourceError)) throw error;
      return finish(unavailable(`cannot check credentials right now; retry later (${error.message})`));
    }
    const credential = matchCredential(headers.authorization, credentials);
    if (credential === null) {
      fields.authFailure = headers.authorization === undefined ? 'missing' : 'wrong';
      return finish(errorAnswer(undefined, 401, 'missing or wrong credentials', { 'www-authenticate': WWW_AUTHENTICATE }));
    }
    fields.credentialId = credential.id;
    if (probeSession !== null) return finish(await answerProbe(probeSession, dependencies.probes));
    const budgets = dependencies.budgets;
    if (statusRoute && budgets !== undefined) return finish(await answerBudgetStatus(credential.userEmail, budgets()));
    const budgetRoute = budgets === undefined ? undefined : [DECISION_PATH, CLAUDE_CODE_HOOK_PATH].find((path) => event.rawPath.endsWith(path));
    if (budgets !== undefined && budgetRoute !== undefined) return finish(await answerBudgetRoute(budgetRoute, body, headers, credential.userEmail, budgets()));

    // Not archived: it is no OTLP a replay could read, and the session files it came from stay where they are.
    if (isImportPath(event.rawPath)) return finish(await answerImport(body.toString('utf8'), { ...dependencies.ports, coverage: dependencies.coverage }, credential.userEmail));

    const request = { path: event.rawPath, body, contentType: headers['content-type'], contentEncoding: headers['content-encoding'] };
    const answer = await answerExport(request, dependencies.ports, { boundUserEmail: credential.userEmail });
    const report = answer.report;
    if (report === undefined) return finish(answer);
    Object.assign(fields, reportFacts(report));
    // Traces are counted, not stored, and never replayed: archiving their bodies would only cost.
    if (report.signal !== 'traces') {
      try {
        // The archive keeps what a replay needs and nothing seatmeter may not store: prompts are cut first.
        const redacted = redactExport(report.payload, report.encoding, report.signal);
        fields.archiveKey = await dependencies.archive.put({
          body: redacted.body,
          contentType: request.contentType ?? '',
          contentEncoding: redacted.contentEncoding,
          signal: report.signal,
          credentialId: credential.id,
          receivedAtMs: started,
          requestId,
        });
      } catch (error) {
        fields.archiveError = error instanceof Error ? error.name : String(error);
        return finish(unavailable('could not archive the request; retry later (records already stored are not doubled)'));
      }
    }
    return finish(answer);
  };
}
