/** Reading fields of parsed JSON whose shape no one promised: a wrong type reads as absent. */
export type JsonObject = Readonly<Record<string, unknown>>;

export function objectAt(value: unknown, key: string): JsonObject | null {
  const found = value !== null && typeof value === 'object' ? (value as JsonObject)[key] : undefined;
  return found !== null && typeof found === 'object' && !Array.isArray(found) ? (found as JsonObject) : null;
}

export function textAt(value: unknown, key: string): string | null {
  const found = value !== null && typeof value === 'object' ? (value as JsonObject)[key] : undefined;
  return typeof found === 'string' && found.trim() !== '' ? found : null;
}

/** A token count: a whole number, never negative. Absent reads as 0; anything else is null (a broken entry). */
export function countAt(value: unknown, key: string): number | null {
  const found = value !== null && typeof value === 'object' ? (value as JsonObject)[key] : undefined;
  if (found === undefined || found === null) return 0;
  return Number.isSafeInteger(found) && (found as number) >= 0 ? (found as number) : null;
}

export function timeAt(value: unknown, key: string): number | null {
  const text = textAt(value, key);
  const ms = text === null ? Number.NaN : Date.parse(text);
  return Number.isFinite(ms) ? ms : null;
}

/** Each line of a JSONL file that parses as an object, with its number; the others are counted. */
export function* jsonLines(text: string, skipped: Map<string, number>): Generator<{ readonly line: JsonObject; readonly number: number }> {
  const lines = text.split('\n');
  for (const [index, raw] of lines.entries()) {
    if (raw.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      // A client killed mid-write leaves a cut last line: it is counted, and the rest of the file still read.
      skipped.set('line is not JSON', (skipped.get('line is not JSON') ?? 0) + 1);
      continue;
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      skipped.set('line is not a JSON object', (skipped.get('line is not a JSON object') ?? 0) + 1);
      continue;
    }
    yield { line: parsed as JsonObject, number: index + 1 };
  }
}
