import type { TokenCounts } from '../records/types.ts';
import { TOKEN_FIELDS } from '../records/types.ts';
import { MAX_TOKENS_PER_POINT, invalidValueReason } from './values.ts';

/** A source whose parts contradict each other (cache above input, reasoning above output) is not metered. */
export function invalidTokens(tokens: TokenCounts): string | null {
  for (const field of TOKEN_FIELDS) {
    const invalid = invalidValueReason(tokens[field], MAX_TOKENS_PER_POINT);
    if (invalid !== null) return `${field}: ${invalid}`;
  }
  if (tokens.reasoning_tokens > tokens.output_tokens) return 'reasoning tokens exceed output tokens';
  return null;
}
