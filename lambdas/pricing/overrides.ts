import { readFileSync } from 'node:fs';
import type { PriceOverride, PriceOverrideFile } from './types.ts';

const PRICE_KEYS = ['input_mtok', 'cache_read_mtok', 'cache_write_mtok', 'output_mtok'] as const;

export class PriceOverrideError extends Error {
  override readonly name = 'PriceOverrideError';
}

/** Validates an override file; a bad price must fail loudly at start-up, not misprice history. */
export function parsePriceOverrides(json: unknown, source: string): PriceOverrideFile {
  const fail = (why: string): never => {
    throw new PriceOverrideError(`${source}: ${why}`);
  };
  if (typeof json !== 'object' || json === null) return fail('expected an object');
  const { version, models } = json as { version?: unknown; models?: unknown };
  if (typeof version !== 'string' || version === '') return fail('"version" must be a non-empty string');
  if (!Array.isArray(models)) return fail('"models" must be an array');
  const parsed = models.map((entry: unknown, index): PriceOverride => {
    const where = `models[${index}]`;
    if (typeof entry !== 'object' || entry === null) return fail(`${where} must be an object`);
    const row = entry as Record<string, unknown>;
    if (typeof row.model !== 'string' || row.model === '') return fail(`${where}.model must be a non-empty string`);
    const from = row.effective_from;
    if (typeof from !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(from) || Number.isNaN(Date.parse(from))) {
      return fail(`${where}.effective_from must be an ISO date`);
    }
    for (const key of PRICE_KEYS) {
      const price = row[key];
      if (typeof price !== 'number' || !Number.isFinite(price) || price < 0) {
        return fail(`${where}.${key} must be a non-negative number (USD per million tokens)`);
      }
    }
    return {
      model: row.model,
      effective_from: from,
      input_mtok: row.input_mtok as number,
      cache_read_mtok: row.cache_read_mtok as number,
      cache_write_mtok: row.cache_write_mtok as number,
      output_mtok: row.output_mtok as number,
    };
  });
  return { version, models: parsed };
}

export function loadPriceOverrides(path: string): PriceOverrideFile {
  const text = readFileSync(path, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PriceOverrideError(`${path}: not valid JSON (${(error as Error).message})`);
  }
  return parsePriceOverrides(json, path);
}
