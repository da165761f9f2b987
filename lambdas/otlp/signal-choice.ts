import type { Signal } from './types.ts';

/**
 * Order in which signals win when a body fits several equally well (both readings are valid protobuf
 * and pass every plausibility check) and the path names none of them: the usage-bearing signals first,
 * so an unlucky tie can never shrink token data into a bare span count.
 */
export const SIGNAL_PRIORITY: readonly Signal[] = ['metrics', 'logs', 'traces'];

/**
 * Picks the signal of a request. `candidates` are the signals the body fits, in SIGNAL_PRIORITY order;
 * none means the request holds no items at all. Such an empty request is a valid export of every
 * signal, and OTLP answers it identically for all three, so it takes the path's signal or else metrics.
 */
export function chooseSignal(candidates: readonly Signal[], hint: Signal | undefined): Signal {
  if (hint !== undefined && (candidates.length === 0 || candidates.includes(hint))) return hint;
  return candidates[0] ?? 'metrics';
}
