import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReportRow } from '../../lambdas/report/report-types.ts';
import { exited, spawnServer } from '../support/local-server-process.ts';

const REQUESTS = 120;
const BASE_NS = BigInt(Date.parse('2026-11-22T12:00:00Z')) * 1_000_000n;

/**
 * Request i carries a delta of 1000 + i input tokens for its own session, and the cumulative total 10·(i+1)
 * of one long-running series: so every acknowledged delta must be stored exactly once, and the cumulative
 * series must sum to exactly its last value however often the stream is cut and replayed.
 */
function exportRequest(i: number): string {
  const time = String(BASE_NS + BigInt(i) * 1_000_000_000n);
  const attrs = (session: string) => [
    { key: 'user.email', value: { stringValue: 'crash@example.com' } },
    { key: 'session.id', value: { stringValue: session } },
    { key: 'model', value: { stringValue: 'claude-opus-4-8' } },
    { key: 'type', value: { stringValue: 'input' } },
  ];
  return JSON.stringify({
    resourceMetrics: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'claude-code' } }] },
        scopeMetrics: [
          {
            metrics: [
              { name: 'claude_code.token.usage', sum: { aggregationTemporality: 1, isMonotonic: true, dataPoints: [{ timeUnixNano: time, asDouble: 1000 + i, attributes: attrs(`delta-${i}`) }] } },
              {
                name: 'claude_code.token.usage',
                sum: {
                  aggregationTemporality: 2,
                  isMonotonic: true,
                  dataPoints: [{ startTimeUnixNano: String(BASE_NS - 1_000_000_000n), timeUnixNano: time, asDouble: 10 * (i + 1), attributes: attrs('cumulative') }],
                },
              },
            ],
          },
        ],
      },
    ],
  });
}

function send(url: string, i: number): Promise<number> {
  return fetch(`${url}/v1/metrics`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: exportRequest(i) }).then(
    (response) => response.status,
    () => 0,
  );
}

async function bySession(url: string): Promise<Map<string, number>> {
  const rows = (await fetch(`${url}/api/report?from=2026-11-22&to=2026-11-23&by=session`).then((r) => r.json())) as ReportRow[];
  return new Map(rows.map((row) => [String(row.session_id), row.input_tokens]));
}

describe('seatmeter serve killed with SIGKILL mid-stream', () => {
  it('keeps everything it acknowledged and double counts nothing after a restart and a full replay', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'seatmeter-crash-'));
    const first = await spawnServer(dataDir);
    const acknowledged: number[] = [];
    const inFlight: Promise<void>[] = [];
    for (let i = 0; i < REQUESTS; i += 1) {
      const request = send(first.url, i).then((status) => {
        if (status === 200) acknowledged.push(i);
      });
      inFlight.push(request);
      if (i === 60) first.child.kill('SIGKILL');
      if (i < 60) await request;
    }
    await Promise.all(inFlight);
    await exited(first.child);
    expect(acknowledged.length).toBeGreaterThanOrEqual(60);

    const second = await spawnServer(dataDir);
    const afterCrash = await bySession(second.url);
    const missing = acknowledged.filter((i) => afterCrash.get(`delta-${i}`) !== 1000 + i);
    expect(missing).toEqual([]);

    for (let i = 0; i < REQUESTS; i += 1) expect(await send(second.url, i)).toBe(200);
    for (let i = 0; i < REQUESTS; i += 1) expect(await send(second.url, i)).toBe(200);
    const final = await bySession(second.url);
    expect(final.get('cumulative')).toBe(10 * REQUESTS);
    expect([...final].filter(([session, tokens]) => session !== 'cumulative' && tokens !== 1000 + Number(session.slice(6)))).toEqual([]);
    expect(final.size).toBe(REQUESTS + 1);
    second.child.kill('SIGTERM');
    await exited(second.child);
  }, 60_000);
});
