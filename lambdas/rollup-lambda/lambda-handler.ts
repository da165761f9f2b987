import { dayStartMs, scheduledDays } from '../rollup/day.ts';
import { RollupInputError } from '../rollup/errors.ts';
import type { RollupPartners } from '../rollup/partners.ts';
import { rollupDays } from '../rollup/rollup.ts';
import type { DaySummary, RollupPorts } from '../rollup/rollup.ts';
import type { RollupRun } from './run-metrics.ts';

/**
 * What EventBridge Scheduler sends (the schedule's Input): `{"scheduledTime": "<aws.scheduler.scheduled-time>"}`
 * rolls up the two days before the scheduled time, so a retry after midnight still redoes the same days;
 * `{"day": "YYYY-MM-DD"}` redoes one day by hand. An empty event counts from the clock.
 */
export interface RollupEvent {
  readonly scheduledTime?: string;
  readonly day?: string;
}

export interface RollupHandlerOptions {
  readonly ports: Omit<RollupPorts, keyof RollupPartners>;
  readonly partners: RollupPartners;
  /** The clock of the days to roll up and of the run's duration. */
  readonly now?: () => number;
  readonly log?: (summary: DaySummary) => void;
  /** Told once per invocation, whether it succeeded or failed, before its result or error leaves the handler. */
  readonly report?: (run: RollupRun) => void;
}

export function daysOfEvent(event: RollupEvent, nowMs: number): string[] {
  if (event.day !== undefined) {
    dayStartMs(event.day, 'the event\'s "day"');
    return [event.day];
  }
  if (event.scheduledTime === undefined) return scheduledDays(nowMs);
  const scheduledMs = Date.parse(event.scheduledTime);
  if (!Number.isFinite(scheduledMs)) throw new RollupInputError(`the event's "scheduledTime" "${event.scheduledTime}" is not a timestamp`);
  return scheduledDays(scheduledMs);
}

/**
 * The rollup Lambda's handler. Any failure throws: the schedule invokes the function asynchronously, so Lambda
 * retries the invocation and, after its last retry, sends the event to the dead-letter queue.
 */
export function createRollupHandler(options: RollupHandlerOptions): (event: RollupEvent) => Promise<DaySummary[]> {
  const now = options.now ?? Date.now;
  const ports: RollupPorts = { ...options.ports, ...options.partners };
  return async (event) => {
    const startedMs = now();
    let days: string[] = [];
    try {
      days = daysOfEvent(event ?? {}, startedMs);
      const summaries = await rollupDays(days, ports, (summary) => options.log?.(summary));
      options.report?.({ days, durationMs: now() - startedMs });
      return summaries;
    } catch (error) {
      options.report?.({ days, durationMs: now() - startedMs, failure: error instanceof Error ? error.name : typeof error });
      throw error;
    }
  };
}
