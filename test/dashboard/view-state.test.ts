import { describe, expect, it } from 'vitest';
import { loadPageModule } from './page-modules.ts';
import type { ViewStateModule } from './page-modules.ts';

const view = await loadPageModule<ViewStateModule>('view-state.js');
const NOW = Date.UTC(2026, 10, 26, 5, 0);

describe('reading the URL', () => {
  it('defaults to the last 7 days, everyone, every tool', () => {
    expect(view.parseViewState('')).toEqual({ range: { kind: 'preset', preset: '7d' }, users: [], tools: [], teams: [] });
  });

  it('reads custom days, putting them in order', () => {
    expect(view.parseViewState('?from=2026-11-23&to=2026-11-21').range).toEqual({ kind: 'custom', from: '2026-11-21', to: '2026-11-23' });
  });

  it('takes one valid day as that single day', () => {
    expect(view.parseViewState('?from=2026-11-22').range).toEqual({ kind: 'custom', from: '2026-11-22', to: '2026-11-22' });
  });

  it('ignores days that do not exist and unknown presets', () => {
    expect(view.parseViewState('?from=2026-02-30&to=2026-13-01&range=1y').range).toEqual({ kind: 'preset', preset: '7d' });
  });

  it('keeps an empty user (records without identity), drops empty tools and repeats', () => {
    const state = view.parseViewState('?user=&user=a%40x.com&user=a%40x.com&tool=&tool=codex');
    expect([state.users, state.tools]).toEqual([['', 'a@x.com'], ['codex']]);
  });

  it('writes back what it read', () => {
    const search = '?from=2026-11-21&to=2026-11-23&user=dev%40example.com&user=&tool=codex&team=payments&team=';
    expect(view.serializeViewState(view.parseViewState(search))).toBe(search);
  });
});

describe('resolving the range', () => {
  it('covers whole local days, the last one included (TZ=UTC here)', () => {
    expect(view.resolveRange({ kind: 'custom', from: '2026-11-21', to: '2026-11-23' }, NOW)).toEqual({
      fromMs: Date.UTC(2026, 10, 21),
      toMs: Date.UTC(2026, 10, 24),
    });
  });

  it('ends a preset now', () => {
    expect(view.resolveRange({ kind: 'preset', preset: '24h' }, NOW)).toEqual({ fromMs: NOW - 86_400_000, toMs: NOW });
  });

  it.each([
    ['2026-11-22', true],
    ['2024-02-29', true],
    ['2026-02-29', false],
    ['22/11/2026', false],
  ])('accepts %s as a day: %s', (value, valid) => {
    expect(view.isDay(value)).toBe(valid);
  });
});
