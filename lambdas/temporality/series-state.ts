/** The last cumulative value seen for one series, the baseline for the next delta. */
export interface SeriesState {
  readonly timeUnixNano: bigint;
  readonly value: number;
}

/**
 * Port for durable cumulative-to-delta state. `save` is called only after the records derived from the new
 * values are stored, so a crash in between re-derives the same records (same ids) instead of losing them.
 */
export interface SeriesStateStore {
  load(keys: readonly string[]): Promise<ReadonlyMap<string, SeriesState>>;
  save(updates: ReadonlyMap<string, SeriesState>): Promise<void>;
}

export class InMemorySeriesStateStore implements SeriesStateStore {
  readonly #states = new Map<string, SeriesState>();

  async load(keys: readonly string[]): Promise<ReadonlyMap<string, SeriesState>> {
    const found = new Map<string, SeriesState>();
    for (const key of keys) {
      const state = this.#states.get(key);
      if (state !== undefined) found.set(key, state);
    }
    return found;
  }

  async save(updates: ReadonlyMap<string, SeriesState>): Promise<void> {
    for (const [key, state] of updates) this.#states.set(key, state);
  }

  get size(): number {
    return this.#states.size;
  }
}
