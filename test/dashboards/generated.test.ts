import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BOARDS, BOARDS_DIR, boardJson } from '../../bin/dashboards/boards.ts';
import { layOut } from '../../bin/dashboards/grafana-model.ts';
import type { PanelSpec } from '../../bin/dashboards/grafana-model.ts';

describe('the committed Grafana boards', () => {
  it.each(Object.entries(BOARDS))('%s is exactly what `npm run dashboards` writes from the shared definitions', (file, board) => {
    expect(readFileSync(new URL(file, BOARDS_DIR), 'utf8')).toBe(boardJson(board()));
  });
});

describe('laying out a board', () => {
  const text = (title: string, w: number, extra: Partial<PanelSpec> = {}): PanelSpec => ({ type: 'text', title, w, h: 2, ...extra });

  it('wraps a row at the grid width and starts the next row below its tallest panel', () => {
    const panels = layOut([
      { title: 'one', panels: [text('a', 16), { ...text('b', 8), h: 5 }, text('c', 12)] },
      { title: 'two', panels: [text('d', 24)] },
    ]);
    expect(panels.map((panel) => [panel.id, panel.title, panel.gridPos])).toEqual([
      [1, 'one', { h: 1, w: 24, x: 0, y: 0 }],
      [2, 'a', { h: 2, w: 16, x: 0, y: 1 }],
      [3, 'b', { h: 5, w: 8, x: 16, y: 1 }],
      [4, 'c', { h: 2, w: 12, x: 0, y: 6 }],
      [5, 'two', { h: 1, w: 24, x: 0, y: 8 }],
      [6, 'd', { h: 2, w: 24, x: 0, y: 9 }],
    ]);
  });

  it('points a reusing panel at the id its source got', () => {
    const panels = layOut([{ title: 'r', panels: [text('source', 12, { key: 'k' }), text('copy', 12, { reuses: 'k' })] }]);
    expect(panels[2]?.targets).toEqual([{ refId: 'A', datasource: { type: 'datasource', uid: '-- Dashboard --' }, panelId: 2 }]);
    expect(Object.keys(panels[1] ?? {})).not.toContain('key');
  });

  it.each([
    [[text('wide', 25)], 'panel "wide" is 25 columns wide; the grid has 24'],
    [[text('orphan', 6, { reuses: 'nothing' })], 'panel "orphan" reuses "nothing", which no panel of the board is'],
    [[text('a', 6, { key: 'k' }), text('b', 6, { key: 'k' })], 'two panels of the board are keyed "k"'],
  ])('refuses a board that cannot be laid out: %#', (panels, message) => {
    expect(() => layOut([{ title: 'r', panels }])).toThrow(message);
  });
});
