import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { RECORD_KINDS, columnsOf } from '../../../lambdas/records/schema.ts';
import { LocalDatabase, databasePath } from '../../../lambdas/store/duckdb/database.ts';

describe('a data directory from before the team column', () => {
  it('gains the column when opened, keeping its records with no team', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'seatmeter-upgrade-'));
    const old = await DuckDBInstance.create(databasePath(dataDir));
    const connection = await old.connect();
    // Every table as it was: today's columns but team.
    for (const kind of RECORD_KINDS) {
      const columns = columnsOf(kind).filter((column) => column.name !== 'team').map((column) => `${column.name} ${column.type === 'string' ? 'VARCHAR' : column.type === 'bigint' ? 'BIGINT' : 'DOUBLE'}`);
      await connection.run(`CREATE TABLE ${kind} (${columns.join(', ')})`);
    }
    await connection.run("INSERT INTO usage (id, time_ms, tool, user_email, model) VALUES ('u1', 1, 'codex', 'dev@example.com', 'gpt-5')");
    connection.closeSync();
    old.closeSync();

    const database = await LocalDatabase.open(dataDir);
    try {
      expect(await database.query('SELECT id, user_email, team FROM usage')).toEqual([{ id: 'u1', user_email: 'dev@example.com', team: null }]);
    } finally {
      await database.close();
    }
  });
});
