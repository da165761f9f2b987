import { describe, expect, it } from 'vitest';
import { normalizeModelName } from '../../lambdas/normalize/model-name.ts';

describe('normalizeModelName', () => {
  it.each([
    ['claude-opus-4-8[1m]', 'claude-opus-4-8'],
    ['Claude-Sonnet-4-5', 'claude-sonnet-4-5'],
    ['anthropic/claude-haiku-4-5', 'claude-haiku-4-5'],
    ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'claude-sonnet-4-5-20250929'],
    ['anthropic.claude-opus-4-8-v1', 'claude-opus-4-8'],
    ['claude-opus-4-8@20260101', 'claude-opus-4-8'],
    ['models/gemini-2.5-pro', 'gemini-2.5-pro'],
    ['openai/gpt-5', 'gpt-5'],
    ['gpt-5', 'gpt-5'],
  ])('%s → %s', (raw, expected) => {
    expect(normalizeModelName(raw)).toBe(expected);
  });
});
