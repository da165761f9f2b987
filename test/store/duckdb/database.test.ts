import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalDatabase } from '../../../lambdas/store/duckdb/database.ts';

describe('LocalDatabase.transaction', () => {
  it('throws the error that ended the transaction, not the ROLLBACK that then has nothing to roll back', async () => {
    const database = await LocalDatabase.open(mkdtempSync(join(tmpdir(), 'seatmeter-db-')));
    try {
      // What a failed COMMIT (disk full) leaves: the transaction is gone when the error reaches the catch.
      const failing = database.transaction(async (connection) => {
        await connection.run('ROLLBACK');
        throw new Error('IO Error: No space left on device');
      });
      await expect(failing).rejects.toThrow('IO Error: No space left on device');
      expect(await database.query('SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
    } finally {
      await database.close();
    }
  });
});
