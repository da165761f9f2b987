import type { DayUsage, DayUsageSource } from '../rollup/types.ts';
import { LocalServerError, getFromServer } from './server-client.ts';

function isDayUsage(value: unknown): value is DayUsage {
  if (typeof value !== 'object' || value === null) return false;
  const answer = value as Record<string, unknown>;
  return Array.isArray(answer.lines) && Array.isArray(answer.sessions) && Array.isArray(answer.activity);
}

/** The rollup's day reads, answered by the running local server (its `/api/day-usage`) instead of the file. */
export class ServerDayUsageSource implements DayUsageSource {
  readonly #url: string;
  readonly #token: string | undefined;

  constructor(url: string, token: string | undefined) {
    this.#url = url;
    this.#token = token;
  }

  async readDay(day: string): Promise<DayUsage> {
    const answer = await getFromServer(this.#url, '/api/day-usage', new URLSearchParams({ day }), this.#token);
    if (!isDayUsage(answer)) throw new LocalServerError(`${this.#url}/api/day-usage did not answer a day's usage (lines, sessions, activity)`);
    return answer;
  }
}
