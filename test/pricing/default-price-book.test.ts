import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultPriceBook } from '../../lambdas/pricing/default-price-book.ts';
import { PriceOverrideError } from '../../lambdas/pricing/overrides.ts';
import { GENAI_PRICES_VERSION } from '../../lambdas/pricing/price-book.ts';

const dir = mkdtempSync(join(tmpdir(), 'seatmeter-overrides-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MILLION = { input_tokens: 1_000_000, cache_read_tokens: 0, cache_write_tokens: 0, output_tokens: 0, reasoning_tokens: 0 };
const NOV_2026 = Date.parse('2026-11-22T10:00:00Z');

function overridesFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('defaultPriceBook', () => {
  it('prices from the shipped overrides and genai-prices when no other file is named', () => {
    expect(defaultPriceBook(undefined).price('claude-haiku-4-5', MILLION, NOV_2026).price_version).toBe(`genai-prices@${GENAI_PRICES_VERSION}`);
  });

  it('prices from the file SEATMETER_PRICE_OVERRIDES names instead', () => {
    const path = overridesFile(
      'negotiated.json',
      JSON.stringify({ version: 'n1', models: [{ model: 'claude-haiku-4-5', effective_from: '2026-01-01', input_mtok: 0.5, cache_read_mtok: 0, cache_write_mtok: 0, output_mtok: 2 }] }),
    );
    expect(defaultPriceBook(path).price('claude-haiku-4-5', MILLION, NOV_2026)).toEqual({ estimated_cost_usd: 0.5, price_version: 'overrides@n1' });
  });

  it('stops with the file named when that file is not valid JSON', () => {
    const path = overridesFile('broken.json', '{"version": "1", "models": [');
    expect(() => defaultPriceBook(path)).toThrow(PriceOverrideError);
    expect(() => defaultPriceBook(path)).toThrow(`${path}: not valid JSON`);
  });
});
