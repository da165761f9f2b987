import { randomUUID } from 'node:crypto';
import type { AlertClaim, AlertLedger, AlertOutcome, AlertRecord } from '../../budgets/alerts/alert-ledger.ts';
import type { AlertKind } from '../../budgets/alerts/alert-rules.ts';
import type { AlertMessage } from '../../budgets/alerts/alert-message.ts';
import type { LocalDatabase } from './database.ts';

type Row = Record<string, unknown>;

function claimOf(row: Row): AlertClaim {
  return { key: String(row.key), budget: String(row.budget), periodKey: String(row.period_key), kind: String(row.kind) as AlertKind, message: JSON.parse(String(row.message)) as AlertMessage };
}

/**
 * The alert ledger in the local database. The key is the table's primary key, so a second claim of it inserts
 * nothing. One process holds a data directory at a time, so a claim left unsettled by another instance (a
 * server killed between claiming and sending) can only be an orphan: the next instance sends it.
 */
export class DuckDbAlertLedger implements AlertLedger {
  readonly #database: LocalDatabase;
  readonly #instance = randomUUID();

  constructor(database: LocalDatabase) {
    this.#database = database;
  }

  async claimed(keys: readonly string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const rows = await this.#database.query(`SELECT key FROM budget_alerts WHERE key IN (${keys.map(() => '?').join(', ')})`, [...keys]);
    return new Set(rows.map((row) => String(row.key)));
  }

  claim(claim: AlertClaim, nowMs: number): Promise<boolean> {
    return this.#database.transaction(async (connection) => {
      const inserted = await connection.runAndReadAll(
        'INSERT INTO budget_alerts (key, budget, period_key, kind, message, claimed_by, claimed_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING key',
        [claim.key, claim.budget, claim.periodKey, claim.kind, JSON.stringify(claim.message), this.#instance, nowMs],
      );
      return inserted.getRows().length > 0;
    });
  }

  settle(key: string, outcome: AlertOutcome): Promise<void> {
    return this.#database.transaction(async (connection) => {
      await connection.run('UPDATE budget_alerts SET delivered_at_ms = ?, failure = ? WHERE key = ?', [
        'deliveredAtMs' in outcome ? outcome.deliveredAtMs : null,
        'failure' in outcome ? outcome.failure : null,
        key,
      ]);
    });
  }

  takeOrphans(nowMs: number): Promise<AlertClaim[]> {
    return this.#database.transaction(async (connection) => {
      const taken = await connection.runAndReadAll(
        'UPDATE budget_alerts SET claimed_by = ?, claimed_at_ms = ? WHERE claimed_by <> ? AND delivered_at_ms IS NULL AND failure IS NULL RETURNING key, budget, period_key, kind, message',
        [this.#instance, nowMs, this.#instance],
      );
      return taken.getRowObjects().map((row) => claimOf(row as Row));
    });
  }

  async latest(): Promise<AlertRecord[]> {
    const rows = await this.#database.query(
      'SELECT * FROM budget_alerts QUALIFY row_number() OVER (PARTITION BY budget ORDER BY claimed_at_ms DESC, key DESC) = 1 ORDER BY budget',
    );
    return rows.map((row) => ({
      ...claimOf(row),
      claimedAtMs: Number(row.claimed_at_ms),
      deliveredAtMs: row.delivered_at_ms === null ? null : Number(row.delivered_at_ms),
      failure: row.failure === null ? null : String(row.failure),
    }));
  }
}
