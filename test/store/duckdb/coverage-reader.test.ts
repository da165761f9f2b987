import { describe, expect, it } from 'vitest';
import { sessionKey, sliceKey } from '../../../lambdas/import/coverage.ts';
import { LocalDatabase } from '../../../lambdas/store/duckdb/database.ts';
import { duckDbCoverage } from '../../../lambdas/store/duckdb/coverage-reader.ts';
import { openRecordStore } from '../../support/record-store.ts';
import { activity, request, usage } from '../../support/records.ts';

describe('which sessions telemetry put in the local store', () => {
  it('finds sessions of any record kind, Claude request ids and Gemini user-days, never counting imported records', async () => {
    const database = await LocalDatabase.inMemory();
    await (await openRecordStore(database)).write([
      usage({ id: 'u1', session_id: 'from-metrics' }),
      activity({ id: 'a1', tool: 'codex', session_id: 'codex-started' }),
      request({ id: 'r1', session_id: 'from-events', request_id: 'req_seen' }),
      usage({ id: 'import-0123', session_id: 'imported-before' }),
      usage({ id: 'u2', tool: 'gemini_cli', session_id: 'other-tool' }),
      usage({ id: 'import-g', tool: 'gemini_cli', user_email: 'ana@example.com', session_id: 'imported' }),
    ]);
    const seen = await duckDbCoverage(database).seen({
      sessions: new Map([
        ['claude_code', ['from-metrics', 'from-events', 'imported-before', 'other-tool', 'never']],
        ['codex', ['codex-started']],
      ]),
      requestIds: ['req_seen', 'req_other'],
      slices: [
        { tool: 'gemini_cli', user_email: 'dev@example.com', dayMs: Date.parse('2026-11-22T00:00:00Z') },
        { tool: 'gemini_cli', user_email: 'dev@example.com', dayMs: Date.parse('2026-11-21T00:00:00Z') },
        { tool: 'gemini_cli', user_email: 'ana@example.com', dayMs: Date.parse('2026-11-22T00:00:00Z') },
      ],
      fromMs: 0,
      toMs: Date.parse('2027-01-01T00:00:00Z'),
    });
    expect([...seen.sessions].sort()).toEqual([sessionKey('claude_code', 'from-events'), sessionKey('claude_code', 'from-metrics'), sessionKey('codex', 'codex-started')].sort());
    expect([...seen.requestIds]).toEqual(['req_seen']);
    // Gemini CLI by day: dev's telemetry of the 22nd, not Ana's import of it.
    expect([...seen.slices]).toEqual([sliceKey('gemini_cli', 'dev@example.com', Date.parse('2026-11-22T00:00:00Z'))]);
    await database.close();
  });
});
