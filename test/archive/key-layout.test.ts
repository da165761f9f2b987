import { describe, expect, it } from 'vitest';
import { archiveKey, hourPrefixes, keyInRange, receivedAtOfKey } from '../../lambdas/archive/key-layout.ts';

describe('archive key layout', () => {
  it('files a request under its UTC day and hour, named by its arrival to the millisecond', () => {
    expect(archiveKey('raw/', Date.parse('2026-11-22T09:05:07.008Z'), 'JvC8ZhxxoAMEJ7Q=')).toBe('raw/dt=2026-11-22/hour=09/20261122T090507008Z-JvC8ZhxxoAMEJ7Q=.otlp');
  });

  it('replaces characters that would split or escape the key in a request id', () => {
    expect(archiveKey('raw/', 0, '../a b/c')).toBe('raw/dt=1970-01-01/hour=00/19700101T000000000Z-.._a_b_c.otlp');
  });

  it('reads the arrival time back from a key, and nothing from a key of another layout', () => {
    const receivedAt = Date.parse('2026-11-22T23:59:59.999Z');
    expect(receivedAtOfKey(archiveKey('raw/', receivedAt, 'r'))).toBe(receivedAt);
    expect(receivedAtOfKey('raw/dt=2026-11-22/hour=23/notes.txt')).toBeUndefined();
  });

  it('lists every hour prefix that overlaps a range, across midnight, oldest first', () => {
    expect(hourPrefixes('raw/', Date.parse('2026-11-22T22:30:00Z'), Date.parse('2026-11-23T01:00:00.001Z'))).toEqual([
      'raw/dt=2026-11-22/hour=22/',
      'raw/dt=2026-11-22/hour=23/',
      'raw/dt=2026-11-23/hour=00/',
      'raw/dt=2026-11-23/hour=01/',
    ]);
    expect(hourPrefixes('raw/', Date.parse('2026-11-22T22:00:00Z'), Date.parse('2026-11-22T23:00:00Z'))).toEqual(['raw/dt=2026-11-22/hour=22/']);
    expect(hourPrefixes('raw/', 1_000, 1_000)).toEqual([]);
  });

  it('keeps a range start and excludes its end', () => {
    const from = Date.parse('2026-11-22T10:00:00Z');
    expect([from - 1, from, from + 1_000, from + 1_001].map((at) => keyInRange(archiveKey('raw/', at, 'r'), from, from + 1_000))).toEqual([false, true, false, false]);
    expect(keyInRange('raw/dt=2026-11-22/hour=10/foreign.bin', 0, Number.MAX_SAFE_INTEGER)).toBe(false);
  });
});
