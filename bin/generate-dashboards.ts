/**
 * `npm run dashboards`: writes the Grafana boards under dashboards/grafana/ from their definitions (the usage
 * board's queries from lambdas/report/usage-panels.ts, the same definitions the local page runs). The files
 * are committed; test/dashboards/generated.test.ts fails when they differ from what this writes.
 */
import { writeFileSync } from 'node:fs';
import { BOARDS, BOARDS_DIR, boardJson } from './dashboards/boards.ts';

for (const [file, board] of Object.entries(BOARDS)) {
  const target = new URL(file, BOARDS_DIR);
  writeFileSync(target, boardJson(board()));
  process.stdout.write(`wrote ${target.pathname}\n`);
}
