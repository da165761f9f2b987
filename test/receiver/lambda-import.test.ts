import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FolderRawArchive } from '../../lambdas/archive/folder-archive.ts';
import type { ArchivedRequest } from '../../lambdas/archive/types.ts';
import { parseClaudeSession } from '../../lambdas/import/claude/session-file.ts';
import type { SessionCall } from '../../lambdas/import/types.ts';
import { defaultPriceBook } from '../../lambdas/pricing/default-price-book.ts';
import { createReceiverHandler } from '../../lambdas/receiver/lambda-handler.ts';
import type { UsageRecord } from '../../lambdas/records/types.ts';
import { InMemoryRecordStore } from '../../lambdas/store/memory.ts';
import { InMemorySeriesStateStore } from '../../lambdas/temporality/series-state.ts';
import { apiGatewayEvent } from '../support/api-gateway-events.ts';
import { CAPTURES, loadCapture } from '../support/captures.ts';
import { IMPORT_HOME } from '../support/import-home.ts';

const TEAM = { id: 'team', secret: 'team-token-0123456789' };
const ADA = { id: 'ada', secret: 'ada-token-0123456789', userEmail: 'ada@example.com' };

/** Every Claude Code call of the fake home, as `seatmeter import` sends them. */
function claudeCalls(): SessionCall[] {
  const files = ['-work-acme-shop/3c1f7d2e-5b8a-4f0e-9a6d-1e2b3c4d5e6f.jsonl', '-work-demo-repo/9f5b2137-8c83-4756-8db9-136e5d39e200.jsonl'];
  return files.flatMap((file) =>
    parseClaudeSession(readFileSync(join(IMPORT_HOME, '.claude/projects', file), 'utf8')).calls.map(({ place: _place, ...call }) => ({ ...call, user_email: 'dev@example.com', repo: null })),
  );
}

const importEvent = (calls: readonly SessionCall[], secret: string | null) =>
  apiGatewayEvent(
    { path: '/prod/seatmeter/import', contentType: 'application/json', contentEncoding: undefined, body: new TextEncoder().encode(JSON.stringify({ calls })) },
    secret === null ? {} : { authorization: `Bearer ${secret}` },
  );

const answer = (result: { body?: string }) => JSON.parse(Buffer.from(result.body ?? '', 'base64').toString('utf8')) as Record<string, unknown>;

async function archived(archive: FolderRawArchive): Promise<ArchivedRequest[]> {
  const out: ArchivedRequest[] = [];
  for await (const entry of archive.list(Date.now() - 3_600_000, Date.now() + 3_600_000)) out.push(entry);
  return out;
}

describe('the receiver Lambda\'s import route', () => {
  it('stores what telemetry never sent, leaves the rest to it, under the export credentials, archiving nothing', async () => {
    const store = new InMemoryRecordStore();
    const archive = new FolderRawArchive({ dir: mkdtempSync(join(tmpdir(), 'seatmeter-archive-')) });
    const handler = createReceiverHandler({ credentials: { credentials: async () => [TEAM, ADA] }, ports: { store, state: new InMemorySeriesStateStore(), pricer: defaultPriceBook() }, archive, probes: store, coverage: store });
    for (const [id] of CAPTURES) await handler(apiGatewayEvent(loadCapture(id), { authorization: `Bearer ${TEAM.secret}` }));
    const telemetryRecords = store.all().length;
    const telemetryArchive = (await archived(archive)).length;

    expect((await handler(importEvent(claudeCalls(), null))).statusCode).toBe(401);
    const first = await handler(importEvent(claudeCalls(), TEAM.secret));
    expect([first.statusCode, answer(first)]).toEqual([
      200,
      { calls: 3, stored: 2, duplicates: 0, covered: 1, covered_sessions: ['claude_code/9f5b2137-8c83-4756-8db9-136e5d39e200'], rejected: {}, identity_overrides: 0 },
    ]);
    expect(answer(await handler(importEvent(claudeCalls(), TEAM.secret)))).toMatchObject({ stored: 0, duplicates: 2, covered: 1 });
    const imported = store.all().slice(telemetryRecords) as UsageRecord[];
    expect(imported.map((record) => [record.model, record.input_tokens, record.user_email])).toEqual([
      ['claude-opus-4-8', 1_000, 'dev@example.com'],
      ['claude-opus-4-8', 50, 'dev@example.com'],
    ]);
    expect((await archived(archive)).length).toBe(telemetryArchive);
  });

  it('speaks for the user a bound credential names', async () => {
    const store = new InMemoryRecordStore();
    const handler = createReceiverHandler({
      credentials: { credentials: async () => [TEAM, ADA] },
      ports: { store, state: new InMemorySeriesStateStore(), pricer: defaultPriceBook() },
      archive: new FolderRawArchive({ dir: mkdtempSync(join(tmpdir(), 'seatmeter-archive-')) }),
      probes: store,
      coverage: store,
    });
    expect(answer(await handler(importEvent(claudeCalls(), ADA.secret)))).toMatchObject({ stored: 3, identity_overrides: 3 });
    expect(new Set(store.all().map((record) => record.user_email))).toEqual(new Set(['ada@example.com']));
    const bad = await handler(importEvent([{ ...claudeCalls()[0], tool: 'cursor' } as unknown as SessionCall], ADA.secret));
    expect([bad.statusCode, answer(bad).error]).toEqual([400, 'calls[0].tool must be one of claude_code, codex, gemini_cli, got "cursor"']);
  });
});
