import { StorageRefusedError, StorageUnavailableError } from '../store/errors.ts';
import { RETRY_AFTER_SECONDS } from './export-handler.ts';
import { jsonAnswer } from './json-answer.ts';
import type { JsonAnswer } from './json-answer.ts';

/**
 * A store failure as the JSON routes answer it: unavailable is 503 with Retry-After (the caller's next try
 * can succeed), refused is 500; anything else is not a store failure, and null.
 */
export function storeErrorAnswer(error: unknown): JsonAnswer | null {
  if (error instanceof StorageUnavailableError) {
    const message = `store unavailable; retry later (${error.message})`;
    return jsonAnswer(503, { error: message }, message, { 'retry-after': String(RETRY_AFTER_SECONDS) });
  }
  if (error instanceof StorageRefusedError) return jsonAnswer(500, { error: error.message }, error.message);
  return null;
}
