import type { Signal } from './types.ts';

const SIGNAL_PATH = /\/v1\/(metrics|logs|traces)\/?$/;

/**
 * The signal named by the standard OTLP/HTTP path (`…/v1/metrics` etc.), ignoring any query string.
 * Only a hint: Codex posts every signal to whatever URL it was given, so the body decides.
 */
export function signalFromPath(path: string | undefined): Signal | undefined {
  const bare = (path ?? '').split('?', 1)[0] ?? '';
  return SIGNAL_PATH.exec(bare)?.[1] as Signal | undefined;
}
