/**
 * The page's pure modules, loaded as the browser loads them (plain ES modules). The import is by URL so the
 * test project, which does not type-check JavaScript, takes them as they are; these are the shapes the tests use.
 */

export interface FormatModule {
  formatCompact(value: number): string;
  formatInteger(value: number): string;
  formatUsd(value: number): string;
  formatUsdExact(value: number): string;
  formatUser(email: string | null): string;
  formatTool(tool: string): string;
  formatRange(fromMs: number, toMs: number): string;
  formatDuration(ms: number): string;
}

type RangeSpec = { kind: 'preset'; preset: '24h' | '7d' | '30d' } | { kind: 'custom'; from: string; to: string };
export interface ViewState {
  range: RangeSpec;
  users: string[];
  tools: string[];
}

export interface ViewStateModule {
  parseViewState(search: string): ViewState;
  serializeViewState(state: ViewState): string;
  resolveRange(range: RangeSpec, nowMs: number): { fromMs: number; toMs: number };
  isDay(value: string | null): boolean;
}

export function loadPageModule<T>(file: string): Promise<T> {
  return import(new URL(`../../dashboards/local/${file}`, import.meta.url).href) as Promise<T>;
}
