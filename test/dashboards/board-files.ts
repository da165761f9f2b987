/** The committed Grafana boards, read as Grafana reads them, and the parts of them the tests look into. */
import { readFileSync } from 'node:fs';
import { BOARDS_DIR } from '../../bin/dashboards/boards.ts';
import type { Dashboard, Panel, Target } from '../../bin/dashboards/grafana-model.ts';
import { TIMESTREAM_PLUGIN } from '../../bin/dashboards/usage-board.ts';

export function committedBoard(file: string): Dashboard {
  return JSON.parse(readFileSync(new URL(file, BOARDS_DIR), 'utf8')) as Dashboard;
}

export const usageBoardFile = (): Dashboard => committedBoard('seatmeter-usage.json');
export const pipelineBoardFile = (): Dashboard => committedBoard('seatmeter-pipeline.json');

export function panelTitled(board: Dashboard, title: string): Panel {
  const panel = board.panels.find((candidate) => candidate.title === title);
  if (panel === undefined) throw new Error(`the board has no panel "${title}"`);
  return panel;
}

export function panelById(board: Dashboard, id: number): Panel {
  const panel = board.panels.find((candidate) => candidate.id === id);
  if (panel === undefined) throw new Error(`the board has no panel ${id}`);
  return panel;
}

/** The Timestream SQL a panel's query runs, and its format. */
export function timestreamQuery(panel: Panel): { readonly rawQuery: string; readonly format: unknown } {
  const target = panel.targets?.[0];
  if (target?.datasource.type !== TIMESTREAM_PLUGIN || typeof target.rawQuery !== 'string') throw new Error(`"${panel.title}" runs no Timestream query`);
  return { rawQuery: target.rawQuery, format: target.format };
}

export function timestreamPanels(board: Dashboard): Panel[] {
  return board.panels.filter((panel) => panel.targets?.some((target: Target) => target.datasource.type === TIMESTREAM_PLUGIN) === true);
}
