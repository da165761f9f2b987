import { describe, expect, it } from 'vitest';
import { loadPageModule } from './page-modules.ts';
import type { FormatModule } from './page-modules.ts';

const format = await loadPageModule<FormatModule>('format.js');

describe('token counts', () => {
  it.each([
    [0, '0'],
    [950, '950'],
    [1_234, '1.2k'],
    [84_896, '84.9k'],
    [123_456, '123k'],
    [999_960, '1M'],
    [3_400_000, '3.4M'],
    [2_500_000_000, '2.5B'],
  ])('%d reads %s', (value, text) => {
    expect(format.formatCompact(value)).toBe(text);
  });

  it('writes exact counts with thousands separators', () => {
    expect(format.formatInteger(84_896)).toBe('84,896');
  });
});

describe('dollars', () => {
  it.each([
    [0, '$0.00'],
    [0.07767, '$0.0777'],
    [0.000906, '$0.000906'],
    [0.09172135, '$0.0917'],
    [12.345, '$12.35'],
    [1234.5, '$1,235'],
  ])('%d reads %s', (value, text) => {
    expect(format.formatUsd(value)).toBe(text);
  });

  it('keeps six decimals for the exact figure', () => {
    expect(format.formatUsdExact(0.09172135)).toBe('$0.091721');
  });
});

describe('names', () => {
  it('shows records without an email as "(no identity)"', () => {
    expect([format.formatUser(null), format.formatUser('dev@example.com')]).toEqual(['(no identity)', 'dev@example.com']);
  });

  it('names the known agents and passes any other service.name through', () => {
    expect(['claude_code', 'codex', 'gemini_cli', 'copilot-chat'].map(format.formatTool)).toEqual(['Claude Code', 'Codex', 'Gemini CLI', 'copilot-chat']);
  });
});

describe('time', () => {
  it('reads a range of whole days as days, with the last day included', () => {
    expect(format.formatRange(Date.UTC(2026, 10, 21), Date.UTC(2026, 10, 24))).toBe('Nov 21, 2026 – Nov 23, 2026');
  });

  it('reads any other range with times', () => {
    expect(format.formatRange(Date.UTC(2026, 10, 21, 9, 30), Date.UTC(2026, 10, 22, 9, 30))).toBe('Nov 21, 09:30 – Nov 22, 09:30');
  });

  it.each([
    [60_000, 'minute'],
    [300_000, '5 min'],
    [3_600_000, 'hour'],
    [21_600_000, '6 h'],
    [86_400_000, 'day'],
  ])('names a %d ms bucket "%s"', (ms, text) => {
    expect(format.formatDuration(ms)).toBe(text);
  });
});
