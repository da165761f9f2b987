import type { SpendLedgerWriter } from '../budgets/ledger/ledger-writer.ts';
import type { TeamDirectoryMap } from '../budgets/team-map.ts';
import { stampIdentity, stampTeams } from '../ingest/stamps.ts';
import { normalizeModelName } from '../normalize/model-name.ts';
import { priceRecords } from '../pricing/price-records.ts';
import type { Pricer } from '../pricing/types.ts';
import { recordId } from '../records/identity.ts';
import { capRecordText } from '../records/text-limits.ts';
import type { UnpricedRecord } from '../records/types.ts';
import type { RecordStore } from '../store/types.ts';
import { IMPORT_ID_PREFIX, coverageQuery, coveredByTelemetry, sessionKey } from './coverage.ts';
import type { TelemetryCoverage } from './coverage.ts';
import type { SessionCall } from './types.ts';

export interface ImportPorts {
  readonly store: RecordStore;
  readonly coverage: TelemetryCoverage;
  readonly pricer: Pricer;
  readonly teams?: TeamDirectoryMap;
  readonly ledger?: SpendLedgerWriter;
}

/** What became of a batch: each call stored, already imported, or left to the telemetry that delivered it. */
export interface ImportOutcome {
  readonly calls: number;
  readonly stored: number;
  readonly duplicates: number;
  readonly covered: number;
  /** The sessions telemetry had, as `tool/session id`, so the caller can say which slices were left to it. */
  readonly covered_sessions: readonly string[];
  readonly rejected: Readonly<Record<string, number>>;
  readonly identity_overrides: number;
}

/**
 * A call as the usage record telemetry would have made of it, under an id of its own: the tool and the
 * call's id in its files, so the same call read again (a second import, or the same Claude message copied
 * into a resumed session's file) is the same record.
 */
export function importRecord(call: SessionCall): UnpricedRecord {
  return {
    kind: 'usage',
    id: `${IMPORT_ID_PREFIX}${recordId('import', call.tool, call.call_id)}`,
    time_ms: call.time_ms,
    tool: call.tool,
    user_email: call.user_email,
    user_id: null,
    organization_id: null,
    repo: call.repo,
    session_id: call.session_id,
    terminal: null,
    client_version: call.client_version,
    team: null,
    model: normalizeModelName(call.model),
    input_tokens: call.input_tokens,
    cache_read_tokens: call.cache_read_tokens,
    cache_write_tokens: call.cache_write_tokens,
    output_tokens: call.output_tokens,
    reasoning_tokens: call.reasoning_tokens,
    reported_cost_usd: null,
  };
}

/**
 * Stores the calls telemetry has not delivered, through the ingest path's own steps (text limits, pricing,
 * a bound credential's identity, the team map, the store, the budget ledger). Idempotent: a call already
 * imported is a duplicate, a call of a session telemetry delivered is never stored.
 */
export async function importCalls(calls: readonly SessionCall[], ports: ImportPorts, boundUserEmail?: string): Promise<ImportOutcome> {
  const seen = await ports.coverage.seen(coverageQuery(calls));
  const fresh: SessionCall[] = [];
  const covered = new Set<string>();
  for (const call of calls) {
    if (coveredByTelemetry(call, seen)) covered.add(sessionKey(call.tool, call.session_id));
    else fresh.push(call);
  }
  const { records } = priceRecords(capRecordText(fresh.map(importRecord)).records, ports.pricer);
  const identityOverrides = boundUserEmail === undefined ? 0 : stampIdentity(records, boundUserEmail);
  if (ports.teams !== undefined) stampTeams(records, await ports.teams.current());
  const stored = records.length === 0 ? { written: 0, duplicates: 0, rejected: new Map<string, number>(), rejectedIds: new Set<string>() } : await ports.store.write(records);
  if (ports.ledger !== undefined) await ports.ledger.record(records.filter((record) => !stored.rejectedIds.has(record.id)));
  return {
    calls: calls.length,
    stored: stored.written,
    duplicates: stored.duplicates,
    covered: calls.length - fresh.length,
    covered_sessions: [...covered].map((key) => key.replace('\u0001', '/')).sort(),
    rejected: Object.fromEntries(stored.rejected),
    identity_overrides: identityOverrides,
  };
}
