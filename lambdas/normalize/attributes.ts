import type { Attributes } from '../otlp/types.ts';

/** A string attribute; numbers and booleans are rendered, empty strings count as absent. */
export function stringAttr(attrs: Attributes, key: string): string | null {
  const value = attrs[key];
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

/**
 * A numeric attribute. Clients disagree on types (Codex sends token counts as strings, Claude sends
 * `prompt_length` as a string), so decimal strings are accepted; anything else is NaN so callers reject it.
 */
export function numberAttr(attrs: Attributes, key: string): number | null {
  const value = attrs[key];
  if (value === undefined || value === null) return null;
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?([eE][-+]?\d+)?\s*$/.test(value)) return Number(value);
  return Number.NaN;
}

/** First non-empty string among keys, looked up on the point first and the resource second. */
export function firstString(keys: readonly string[], ...sources: readonly Attributes[]): string | null {
  for (const source of sources) {
    for (const key of keys) {
      const value = stringAttr(source, key);
      if (value !== null) return value;
    }
  }
  return null;
}
