import { describe, expect, it } from 'vitest';
import { SETTLE_MS, settledCalls } from '../../lambdas/import/settled.ts';

const NOW = Date.parse('2026-12-07T12:00:00Z');
const call = (session_id: string, agoMs: number) => ({ tool: 'codex' as const, session_id, time_ms: NOW - agoMs });

describe('settled sessions', () => {
  it('holds back every call of a session whose last call is under an hour old, and keeps the rest', () => {
    const calls = [call('old', 5 * SETTLE_MS), call('running', 3 * SETTLE_MS), call('old', 2 * SETTLE_MS), call('running', 60_000), call('edge', SETTLE_MS)];
    const { settled, recent } = settledCalls(calls, NOW);
    expect(settled.map((entry) => entry.session_id)).toEqual(['old', 'old', 'edge']);
    expect(recent.map((entry) => entry.session_id)).toEqual(['running', 'running']);
  });

  it('tells the same session id of two tools apart', () => {
    expect(settledCalls([call('s', 2 * SETTLE_MS), { ...call('s', 0), tool: 'gemini_cli' as const }], NOW).recent).toHaveLength(1);
  });
});
