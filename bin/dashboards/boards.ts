import type { Dashboard } from './grafana-model.ts';
import { featuresBoard } from './features-board.ts';
import { pipelineBoard } from './pipeline-board.ts';
import { ATHENA_FLAVOR, usageBoard } from './usage-board.ts';

/** Where the generated boards are committed, for Grafana to import or provision. */
export const BOARDS_DIR = new URL('../../dashboards/grafana/', import.meta.url);

export const BOARDS: Readonly<Record<string, () => Dashboard>> = {
  'seatmeter-usage.json': () => usageBoard(),
  'seatmeter-usage-athena.json': () => usageBoard(ATHENA_FLAVOR),
  'seatmeter-pipeline.json': pipelineBoard,
  'seatmeter-features-athena.json': featuresBoard,
};

/** A board's file content, exactly as committed. */
export function boardJson(board: Dashboard): string {
  return `${JSON.stringify(board, null, 2)}\n`;
}
