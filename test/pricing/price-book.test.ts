import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { calcPrice } from '@pydantic/genai-prices';
import { describe, expect, it } from 'vitest';
import { GENAI_PRICES_VERSION, PriceBook, libraryUsage } from '../../lambdas/pricing/price-book.ts';
import { loadPriceOverrides, parsePriceOverrides, PriceOverrideError } from '../../lambdas/pricing/overrides.ts';
import type { TokenCounts } from '../../lambdas/records/types.ts';

const NOV_2026 = Date.parse('2026-11-22T10:00:00Z');
const noOverrides = new PriceBook({ version: 'test', models: [] });

function tokens(input: number, cacheRead: number, cacheWrite: number, output: number): TokenCounts {
  return { input_tokens: input, cache_read_tokens: cacheRead, cache_write_tokens: cacheWrite, output_tokens: output, reasoning_tokens: 0 };
}

describe('PriceBook', () => {
  it("matches Claude Code's own cost for the fixture calls", () => {
    expect(noOverrides.price('claude-opus-4-8', tokens(1234, 7000, 300, 56), NOV_2026).estimated_cost_usd).toBeCloseTo(0.012945, 12);
    expect(noOverrides.price('claude-haiku-4-5', tokens(321, 4000, 100, 12), NOV_2026).estimated_cost_usd).toBeCloseTo(0.000906, 12);
  });

  it('stamps the price data version', () => {
    expect(noOverrides.price('gpt-5', tokens(452, 2048, 0, 77), NOV_2026).price_version).toBe(`genai-prices@${GENAI_PRICES_VERSION}`);
  });

  it('leaves an unknown model unpriced instead of $0', () => {
    expect(noOverrides.price('acme-model-9000', tokens(100, 0, 0, 10), NOV_2026)).toEqual({ estimated_cost_usd: null, price_version: null });
  });

  it.each([
    ['claude-opus-4-8', tokens(1234, 7000, 300, 56)],
    ['claude-sonnet-4-5', tokens(150_000, 40_000, 20_000, 900)],
    ['claude-sonnet-4-5', tokens(10, 5, 5, 1)],
    ['gemini-2.5-pro', tokens(250_000, 10_000, 0, 5_000)],
    ['gemini-2.5-pro', tokens(321, 4000, 0, 86)],
    ['gemini-3.8-flash', tokens(321, 4000, 0, 86)],
    ['gpt-5', tokens(452, 2048, 0, 77)],
    ['gpt-5.4', tokens(300_000, 1000, 0, 100)],
    ['deepseek-chat', tokens(1000, 500, 0, 100)],
  ])('computes %s like calcPrice itself', (model, usage) => {
    const library = calcPrice(libraryUsage(usage), model, { timestamp: new Date(NOV_2026) });
    expect(library).not.toBeNull();
    expect(noOverrides.price(model, usage, NOV_2026).estimated_cost_usd).toBeCloseTo(library?.total_price ?? Number.NaN, 12);
  });

  it('prefers an override, effective-dated, and stamps its version', () => {
    const book = new PriceBook(
      parsePriceOverrides(
        {
          version: '7',
          models: [
            { model: 'gpt-5', effective_from: '2026-01-01', input_mtok: 1, cache_read_mtok: 0.1, cache_write_mtok: 0, output_mtok: 8 },
            { model: 'gpt-5', effective_from: '2026-11-01', input_mtok: 2, cache_read_mtok: 0.2, cache_write_mtok: 0, output_mtok: 16 },
          ],
        },
        'test',
      ),
    );
    expect(book.price('gpt-5', tokens(1_000_000, 0, 0, 0), Date.parse('2026-06-01')).estimated_cost_usd).toBe(1);
    expect(book.price('gpt-5', tokens(1_000_000, 0, 0, 1_000_000), NOV_2026)).toEqual({ estimated_cost_usd: 18, price_version: 'overrides@7' });
    expect(book.price('gpt-5', tokens(1_000_000, 0, 0, 0), Date.parse('2025-06-01')).price_version).toBe(`genai-prices@${GENAI_PRICES_VERSION}`);
  });
});

describe('price overrides file', () => {
  it('ships valid', () => {
    expect(loadPriceOverrides('schemas/price-overrides.json').version).toMatch(/\S/);
  });

  it.each([
    [null, 'expected an object'],
    [{ version: '', models: [] }, '"version"'],
    [{ version: '1', models: {} }, '"models" must be an array'],
    [{ version: '1', models: [{ model: 'm', effective_from: 'soon', input_mtok: 1, cache_read_mtok: 1, cache_write_mtok: 1, output_mtok: 1 }] }, 'effective_from'],
    [{ version: '1', models: [{ model: 'm', effective_from: '2026-01-01', input_mtok: -1, cache_read_mtok: 1, cache_write_mtok: 1, output_mtok: 1 }] }, 'input_mtok'],
    [{ version: '1', models: [{ model: 'm', effective_from: '2026-01-01', input_mtok: 1, cache_read_mtok: 1, cache_write_mtok: 1 }] }, 'output_mtok'],
  ])('rejects %j', (json, message) => {
    expect(() => parsePriceOverrides(json, 'x.json')).toThrow(PriceOverrideError);
    expect(() => parsePriceOverrides(json, 'x.json')).toThrow(message);
  });

  it('pins the genai-prices version that records carry', () => {
    const require = createRequire(import.meta.url);
    const pkg = JSON.parse(readFileSync(require.resolve('@pydantic/genai-prices').replace(/dist\/index\.cjs$/, 'package.json'), 'utf8')) as { version: string };
    expect(pkg.version).toBe(GENAI_PRICES_VERSION);
  });
});
