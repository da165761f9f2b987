/** A rollup that cannot run as asked: a bad day or range, a missing setting. Says which, with the value. */
export class RollupInputError extends Error {
  override readonly name = 'RollupInputError';
}

/**
 * A day that could not be rolled up: a source failed, or the output could not be written. Carries the day, so
 * a range run says where it stopped; the cause is the source's own error.
 */
export class RollupDayError extends Error {
  override readonly name = 'RollupDayError';
  readonly day: string;

  constructor(day: string, cause: unknown) {
    super(`rollup of ${day} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.day = day;
  }
}
