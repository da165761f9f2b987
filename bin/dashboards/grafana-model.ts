/**
 * The part of Grafana's dashboard JSON model the seatmeter boards use, and the layout that places their
 * panels: rows of panels packed left to right on Grafana's 24-column grid, ids numbered in reading order.
 */

export interface DataSourceRef {
  readonly type: string;
  readonly uid: string;
}

export interface GridPos {
  readonly h: number;
  readonly w: number;
  readonly x: number;
  readonly y: number;
}

/** One query of a panel; its fields are the data source's own. */
export type Target = { readonly refId: string; readonly datasource: DataSourceRef } & Readonly<Record<string, unknown>>;

export interface Panel {
  readonly id: number;
  readonly type: string;
  readonly title: string;
  readonly gridPos: GridPos;
  readonly description?: string;
  readonly datasource?: DataSourceRef;
  readonly targets?: readonly Target[];
  readonly fieldConfig?: unknown;
  readonly options?: unknown;
  readonly transformations?: readonly unknown[];
  readonly collapsed?: boolean;
  readonly panels?: readonly Panel[];
}

export type Variable = { readonly name: string; readonly type: string; readonly label?: string } & Readonly<Record<string, unknown>>;

export interface Dashboard {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly timezone: 'utc';
  readonly editable: boolean;
  readonly graphTooltip: number;
  readonly schemaVersion: number;
  readonly version: number;
  readonly refresh: string;
  readonly time: { readonly from: string; readonly to: string };
  readonly templating: { readonly list: readonly Variable[] };
  readonly annotations: { readonly list: readonly unknown[] };
  readonly links: readonly unknown[];
  readonly panels: readonly Panel[];
}

/** Grafana's pseudo data source that hands one panel the results of another panel's query. */
export const DASHBOARD_DATASOURCE: DataSourceRef = { type: 'datasource', uid: '-- Dashboard --' };

/** A panel before it is placed: everything but its id and position, and its width and height. */
export type PanelSpec = Omit<Panel, 'id' | 'gridPos'> & {
  readonly w: number;
  readonly h: number;
  /** A name other panels of the board can take their data from (see `reusing`). */
  readonly key?: string;
  /** The key of the panel whose query results this panel shows, instead of running a query of its own. */
  readonly reuses?: string;
};

export interface RowSpec {
  readonly title: string;
  readonly panels: readonly PanelSpec[];
}

const GRID_COLUMNS = 24;

/**
 * Places the rows top to bottom and each row's panels left to right, wrapping at the grid's width; numbers
 * every panel and row in that order; points each reusing panel at the id its source panel got.
 */
export function layOut(rows: readonly RowSpec[]): Panel[] {
  const entries: { readonly spec?: PanelSpec; readonly panel: Panel }[] = [];
  let y = 0;
  for (const row of rows) {
    entries.push({ panel: { id: entries.length + 1, type: 'row', title: row.title, collapsed: false, gridPos: { h: 1, w: GRID_COLUMNS, x: 0, y }, panels: [] } });
    y += 1;
    let x = 0;
    let lineHeight = 0;
    for (const spec of row.panels) {
      if (spec.w > GRID_COLUMNS) throw new Error(`panel "${spec.title}" is ${spec.w} columns wide; the grid has ${GRID_COLUMNS}`);
      if (x + spec.w > GRID_COLUMNS) {
        y += lineHeight;
        x = 0;
        lineHeight = 0;
      }
      const { w, h, key: _key, reuses: _reuses, ...panel } = spec;
      entries.push({ spec, panel: { id: entries.length + 1, gridPos: { h, w, x, y }, ...panel } });
      x += w;
      lineHeight = Math.max(lineHeight, h);
    }
    y += lineHeight;
  }
  const ids = new Map<string, number>();
  for (const { spec, panel } of entries) {
    if (spec?.key === undefined) continue;
    if (ids.has(spec.key)) throw new Error(`two panels of the board are keyed "${spec.key}"`);
    ids.set(spec.key, panel.id);
  }
  return entries.map(({ spec, panel }) => {
    if (spec?.reuses === undefined) return panel;
    const panelId = ids.get(spec.reuses);
    if (panelId === undefined) throw new Error(`panel "${panel.title}" reuses "${spec.reuses}", which no panel of the board is`);
    return { ...panel, datasource: DASHBOARD_DATASOURCE, targets: [{ refId: 'A', datasource: DASHBOARD_DATASOURCE, panelId }] };
  });
}

export interface BoardSpec {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  /** Auto-refresh interval, '' for none. */
  readonly refresh: string;
  /** The default range, ending now: `now-7d`. */
  readonly from: string;
  /** The plugin id of the board's one data source, picked per Grafana with the `$datasource` variable. */
  readonly plugin: string;
  readonly pluginLabel: string;
  readonly variables: readonly Variable[];
  readonly rows: readonly RowSpec[];
}

/** A seatmeter board: UTC, shared crosshair, its data source chosen by `$datasource` ahead of its own variables. */
export function board(spec: BoardSpec): Dashboard {
  return {
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: ['seatmeter'],
    timezone: 'utc',
    editable: true,
    graphTooltip: 1,
    schemaVersion: 39,
    version: 1,
    refresh: spec.refresh,
    time: { from: spec.from, to: 'now' },
    templating: {
      list: [{ type: 'datasource', name: 'datasource', label: spec.pluginLabel, query: spec.plugin, refresh: 1, hide: 0, current: {}, options: [] }, ...spec.variables],
    },
    annotations: { list: [] },
    links: [],
    panels: layOut(spec.rows),
  };
}
