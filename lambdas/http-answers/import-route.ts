import { ImportBodyError, IMPORT_ROUTE, parseImportBody } from '../import/import-body.ts';
import { importCalls } from '../import/import-calls.ts';
import type { ImportPorts } from '../import/import-calls.ts';
import { jsonAnswer } from './json-answer.ts';
import { storeErrorAnswer } from './store-error-answer.ts';
import type { JsonAnswer } from './json-answer.ts';

/** Whether a POST path is the import route, behind whatever prefix the OTLP endpoint has. */
export const isImportPath = (path: string): boolean => path.endsWith(IMPORT_ROUTE);

/**
 * `seatmeter import`'s batches, the same on the Lambda and the local server: 200 with what was stored, left as
 * a duplicate and left to telemetry; 400 naming the bad call (nothing of the batch stored); 503 with
 * Retry-After while the store cannot answer, so the CLI sends the batch again.
 */
export async function answerImport(body: string, ports: ImportPorts, boundUserEmail?: string): Promise<JsonAnswer> {
  try {
    const outcome = await importCalls(parseImportBody(body), ports, boundUserEmail);
    return jsonAnswer(200, outcome, `import ${outcome.calls} calls: ${outcome.stored} stored, ${outcome.duplicates} duplicates, ${outcome.covered} covered by telemetry`);
  } catch (error) {
    if (error instanceof ImportBodyError) return jsonAnswer(400, { error: error.message }, error.message);
    const answer = storeErrorAnswer(error);
    if (answer === null) throw error;
    return answer;
  }
}
