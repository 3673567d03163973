// SPDX-License-Identifier: LGPL-2.1-or-later
// The table every list of the workstation uses: sorting by a header click,
// grouping by any column (drag its header onto the grouping zone, or pick
// it in "Group by"), a column chooser, a filter over the visible columns,
// and virtual scrolling (fixed row height: only the rows in view, plus a
// margin, are in the DOM), so 10,000 objects or 8760 hourly records scroll
// and filter at once. The user's columns, their order, the sorting and the
// grouping are remembered per user under @settingsKey (settings.ts).
//
// The data work is memoised in stages so that a keystroke in the filter
// redoes only the filter: texts of the visible columns (once per rows and
// columns), sorting (once per rows and sort key), then filtering the sorted
// rows, then grouping, then drawing the ~30 rows in view.
import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { formatNumber } from '../format';
import { language, locale, t } from '../i18n';
import { navigate } from '../router';
import { useSetting } from '../settings';

export interface Column<T> {
  /** Stable id: kept in the user's settings. */
  id: string;
  /** The header, already translated. */
  title: string;
  /** The value to sort by (numbers sort as numbers; null comes last). */
  value: (row: T) => string | number | null | undefined;
  /** The text as shown: filtered and grouped by (default: the value, numbers
   *  as formatNumber writes them). Give it when render() shows something
   *  other than the value, e.g. a formatted time. */
  text?: (row: T) => string;
  /** The cell's content (default: text). */
  render?: (row: T) => ComponentChildren;
  align?: 'num';
  /** CSS width ("12rem") or pixels; the table's layout is fixed. */
  width?: string | number;
  /** Default true. */
  sortable?: boolean;
  /** Default true. */
  groupable?: boolean;
  /** Hidden until the user shows it in the column chooser. */
  hidden?: boolean;
  /** The cell holds links of its own: not wrapped in the row's link when first. */
  hasLinks?: boolean;
}

export interface TableSettings {
  /** Column ids in the user's order (columns not listed follow, in code order). */
  order: string[];
  /** Ids of hidden columns (among those in order). */
  hidden: string[];
  sort: { id: string; desc: boolean } | null;
  /** Column ids grouped by, outermost first. */
  group: string[];
}

export interface DataTableProps<T> {
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string | number;
  /** Remembers the user's columns, sorting and grouping (e.g. "nodes.table"). */
  settingsKey?: string;
  /** Keeps rows where any visible column's text contains it (case and ё/е ignored). */
  filterText?: string;
  /** A row leads to this route ("/nodes/3"): the first cell is a link, a click on the row follows it. */
  rowHref?: (row: T) => string;
  onRowClick?: (row: T) => void;
  /** The column whose cell holds the row's link (default: the first visible one). */
  linkColumn?: string;
  /** Extra class of a row (e.g. "stale"). */
  rowClass?: (row: T) => string | undefined | null | false;
  /** The scrolling area's height: CSS length or pixels. */
  height?: string | number;
  /** The table's accessible name. */
  label: string;
  /** Shown when no row is left. */
  empty?: string;
  /** Default sorting and grouping when the user has none stored. */
  defaultSort?: { id: string; desc: boolean } | null;
  defaultGroup?: string[];
  /** Called with the rows as shown (filtered, sorted; groups ignored) and
   *  the visible columns: for exports of "what is shown". */
  onView?: (rows: T[], columns: Column<T>[]) => void;
  /** Hide the grouping zone and the "Group by" select. */
  noGrouping?: boolean;
}

/** Row height in pixels: every row (data and group) has it (lists.css). */
export const ROW_HEIGHT = 34;
const OVERSCAN = 12;

type Display<T> =
  | { kind: 'group'; key: string; depth: number; column: Column<T>; text: string; count: number; collapsed: boolean }
  | { kind: 'row'; row: T; depth: number };

const collators = new Map<string, Intl.Collator>();
function collator(): Intl.Collator {
  const l = locale();
  let c = collators.get(l);
  if (!c) {
    c = new Intl.Collator(l, { numeric: true, sensitivity: 'base' });
    collators.set(l, c);
  }
  return c;
}

/** Lower case, ё as е: "Ёлочная" is found by "елоч". */
export function foldText(s: string): string {
  return s.toLowerCase().replace(/ё/g, 'е');
}

export function cellText<T>(c: Column<T>, row: T): string {
  if (c.text) return c.text(row);
  const v = c.value(row);
  if (v === null || v === undefined) return '';
  return typeof v === 'number' ? formatNumber(v) : v;
}

function compareValues(a: string | number | null | undefined, b: string | number | null | undefined): number {
  const an = a === null || a === undefined || a === '';
  const bn = b === null || b === undefined || b === '';
  if (an || bn) return an === bn ? 0 : an ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return collator().compare(String(a), String(b));
}

function resolveColumns<T>(columns: Column<T>[], s: TableSettings): { ordered: Column<T>[]; visible: Column<T>[] } {
  const byId = new Map(columns.map((c) => [c.id, c]));
  const ordered: Column<T>[] = [];
  for (const id of s.order) {
    const c = byId.get(id);
    if (c && !ordered.includes(c)) ordered.push(c);
  }
  for (const c of columns) if (!ordered.includes(c)) ordered.push(c);
  const known = new Set(s.order);
  const hidden = new Set(s.hidden);
  const visible = ordered.filter((c) => (known.has(c.id) ? !hidden.has(c.id) : !c.hidden));
  return { ordered, visible };
}

function widthStyle(w: string | number | undefined): string {
  if (w === undefined) return '10rem';
  return typeof w === 'number' ? `${w}px` : w;
}

function defaults<T>(props: DataTableProps<T>): TableSettings {
  return {
    order: props.columns.map((c) => c.id),
    hidden: props.columns.filter((c) => c.hidden).map((c) => c.id),
    sort: props.defaultSort ?? null,
    group: props.defaultGroup ?? [],
  };
}

/** A sortable, groupable, filterable, virtualised table (see the top of the file). */
export function DataTable<T>(props: DataTableProps<T>) {
  if (props.settingsKey) return <StoredTable {...props} settingsKey={props.settingsKey} />;
  return <LocalTable {...props} />;
}

function StoredTable<T>(props: DataTableProps<T> & { settingsKey: string }) {
  const [settings, setSettings] = useSetting<TableSettings>(props.settingsKey, defaults(props));
  return <TableView {...props} settings={normalise(settings, props)} setSettings={setSettings} />;
}

function LocalTable<T>(props: DataTableProps<T>) {
  const [settings, setSettings] = useState<TableSettings>(() => defaults(props));
  return <TableView {...props} settings={settings} setSettings={setSettings} />;
}

/** A stored value from an older page version or another client: made whole. */
function normalise<T>(s: Partial<TableSettings> | null | undefined, props: DataTableProps<T>): TableSettings {
  const d = defaults(props);
  if (!s || typeof s !== 'object') return d;
  const ids = new Set(props.columns.map((c) => c.id));
  const strings = (a: unknown) => (Array.isArray(a) ? a.filter((x): x is string => typeof x === 'string') : null);
  const sort = s.sort && typeof s.sort === 'object' && ids.has(s.sort.id) ? { id: s.sort.id, desc: !!s.sort.desc } : s.sort === null ? null : d.sort;
  return {
    order: strings(s.order) ?? d.order,
    hidden: strings(s.hidden) ?? d.hidden,
    sort,
    group: (strings(s.group) ?? d.group).filter((id) => ids.has(id)),
  };
}

let tableCounter = 0;

function TableView<T>(
  props: DataTableProps<T> & { settings: TableSettings; setSettings: (s: TableSettings) => void },
) {
  const { rows, settings, setSettings } = props;
  const [uid] = useState(() => `dt${++tableCounter}`);
  const lang = language();
  const { ordered, visible } = resolveColumns(props.columns, settings);
  // The columns' functions may be new objects on each render of the page;
  // the memos below depend on the ids shown, not on the objects.
  const visibleRef = useRef(visible);
  visibleRef.current = visible;
  const allRef = useRef(props.columns);
  allRef.current = props.columns;
  const visibleKey = visible.map((c) => c.id).join('\u0001');

  // 1. the folded text of each row's visible cells (for the filter)
  const haystack = useMemo(() => {
    const cols = visibleRef.current;
    const out = new Array<string>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      let s = '';
      for (const c of cols) s += cellText(c, rows[i]) + '\u0001';
      out[i] = foldText(s);
    }
    return out;
  }, [rows, visibleKey, lang]);

  // 2. the order of the rows (indices into rows)
  const sortId = settings.sort?.id ?? '';
  const sortDesc = settings.sort?.desc ?? false;
  const sorted = useMemo(() => {
    const idx = Array.from(rows, (_r, i) => i);
    const col = allRef.current.find((c) => c.id === sortId);
    if (!col) return idx;
    const keys = rows.map((r) => col.value(r));
    idx.sort((a, b) => {
      const ka = keys[a];
      const kb = keys[b];
      const anull = ka === null || ka === undefined || ka === '';
      const bnull = kb === null || kb === undefined || kb === '';
      if (anull || bnull) return anull === bnull ? a - b : anull ? 1 : -1; // unset last, both ways
      const r = compareValues(ka, kb);
      return (sortDesc ? -r : r) || a - b;
    });
    return idx;
  }, [rows, sortId, sortDesc, lang]);

  // 3. the filter
  const needle = foldText((props.filterText ?? '').trim());
  const filtered = useMemo(() => {
    if (!needle) return sorted;
    const out: number[] = [];
    for (const i of sorted) if (haystack[i].includes(needle)) out.push(i);
    return out;
  }, [sorted, haystack, needle]);

  // 4. groups (collapsed ones remember their key while the page is open)
  const [collapsed, setCollapsed] = useState<Set<string>>(() => new Set());
  const groupKey = settings.group.join('\u0001');
  const display = useMemo(() => {
    const byId = new Map(allRef.current.map((c) => [c.id, c]));
    const groupCols = settings.group.map((id) => byId.get(id)).filter((c): c is Column<T> => !!c);
    const out: Display<T>[] = [];
    if (groupCols.length === 0) {
      for (const i of filtered) out.push({ kind: 'row', row: rows[i], depth: 0 });
      return out;
    }
    const walk = (idx: number[], depth: number, prefix: string) => {
      if (depth === groupCols.length) {
        for (const i of idx) out.push({ kind: 'row', row: rows[i], depth });
        return;
      }
      const col = groupCols[depth];
      const buckets = new Map<string, { sortKey: string | number | null | undefined; idx: number[] }>();
      for (const i of idx) {
        const text = cellText(col, rows[i]);
        let b = buckets.get(text);
        if (!b) buckets.set(text, (b = { sortKey: col.value(rows[i]), idx: [] }));
        b.idx.push(i);
      }
      const groups = [...buckets.entries()].sort((a, b) => compareValues(a[1].sortKey, b[1].sortKey) || collator().compare(a[0], b[0]));
      for (const [text, b] of groups) {
        const key = `${prefix}${col.id}=${text}\u0001`;
        const isCollapsed = collapsed.has(key);
        out.push({ kind: 'group', key, depth, column: col, text, count: b.idx.length, collapsed: isCollapsed });
        if (!isCollapsed) walk(b.idx, depth + 1, key);
      }
    };
    walk(filtered, 0, '');
    return out;
  }, [filtered, rows, groupKey, collapsed, lang]);

  // what is shown, for exports
  // (a ref: a page passing a new arrow on each render must not loop)
  const onViewRef = useRef(props.onView);
  onViewRef.current = props.onView;
  useEffect(() => {
    onViewRef.current?.(filtered.map((i) => rows[i]), visibleRef.current);
  }, [filtered, rows, visibleKey]);

  // 5. the rows in view
  const wrapRef = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewHeight, setViewHeight] = useState(600);
  const frame = useRef(0);
  useLayoutEffect(() => {
    const el = wrapRef.current;
    if (!el) return;
    setViewHeight(el.clientHeight || 600);
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => setViewHeight(el.clientHeight || 600));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  useEffect(() => () => cancelAnimationFrame(frame.current), []);
  const onScroll = () => {
    if (frame.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      if (wrapRef.current) setScrollTop(wrapRef.current.scrollTop);
    });
  };
  const total = display.length;
  const first = Math.max(0, Math.min(total, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN));
  const last = Math.min(total, Math.ceil((scrollTop + viewHeight) / ROW_HEIGHT) + OVERSCAN);

  const update = (s: Partial<TableSettings>) => setSettings({ ...settings, order: ordered.map((c) => c.id), ...s });
  const toggleSort = (c: Column<T>) => {
    const s = settings.sort;
    // ascending → descending → unsorted
    if (!s || s.id !== c.id) update({ sort: { id: c.id, desc: false } });
    else if (!s.desc) update({ sort: { id: c.id, desc: true } });
    else update({ sort: null });
  };
  const addGroup = (id: string) => {
    const c = props.columns.find((x) => x.id === id);
    if (!c || c.groupable === false || settings.group.includes(id)) return;
    update({ group: [...settings.group, id] });
  };
  const removeGroup = (id: string) => update({ group: settings.group.filter((g) => g !== id) });
  const toggleGroup = (key: string) => {
    const next = new Set(collapsed);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    setCollapsed(next);
  };

  const follow = (row: T, e: MouseEvent) => {
    const target = e.target as HTMLElement;
    if (target.closest('a, button, input, select, label, summary')) return;
    if (props.rowHref) navigate(props.rowHref(row));
    else props.onRowClick?.(row);
  };
  const groupCount = settings.group.length;
  const colSpan = visible.length + (groupCount > 0 ? 1 : 0);
  const height = props.height === undefined ? undefined : typeof props.height === 'number' ? `${props.height}px` : props.height;
  const clickable = !!(props.rowHref || props.onRowClick);
  const linkCol = visible.find((c) => c.id === props.linkColumn) ?? visible[0];

  const drawRow = (d: Display<T>, index: number): JSX.Element => {
    if (d.kind === 'group') {
      return (
        <tr key={'g' + d.key} class="dt-group" aria-rowindex={index + 2}>
          <td colSpan={colSpan} style={{ paddingLeft: `${0.5 + d.depth * 1.25}rem` }}>
            <button
              type="button"
              class="dt-group-toggle"
              aria-expanded={!d.collapsed}
              onClick={() => toggleGroup(d.key)}
            >
              <span aria-hidden="true">{d.collapsed ? '▸' : '▾'}</span> {d.column.title}: {d.text || t('(none)')}{' '}
              <span class="dt-count">({d.count})</span>
            </button>
          </td>
        </tr>
      );
    }
    const row = d.row;
    const extra = props.rowClass?.(row);
    return (
      <tr
        key={'r' + props.rowKey(row)}
        class={(clickable ? 'dt-clickable ' : '') + (extra || '')}
        aria-rowindex={index + 2}
        onClick={clickable ? (e) => follow(row, e as unknown as MouseEvent) : undefined}
      >
        {groupCount > 0 && <td class="dt-indent" />}
        {visible.map((c) => {
          const content = c.render ? c.render(row) : cellText(c, row);
          return (
            <td key={c.id} class={c.align === 'num' ? 'num' : undefined}>
              {c === linkCol && props.rowHref && !c.hasLinks ? <a href={'#' + props.rowHref(row)}>{content}</a> : content}
            </td>
          );
        })}
      </tr>
    );
  };

  const slice: JSX.Element[] = [];
  for (let i = first; i < last; i++) slice.push(drawRow(display[i], i));
  const groupable = props.columns.filter((c) => c.groupable !== false && !settings.group.includes(c.id));
  const shownRows = filtered.length;

  return (
    <div class="data-table">
      <div class="dt-toolbar">
        {!props.noGrouping && (
          <GroupZone<T>
            uid={uid}
            columns={props.columns}
            group={settings.group}
            groupable={groupable}
            onAdd={addGroup}
            onRemove={removeGroup}
          />
        )}
        <ColumnChooser<T>
          ordered={ordered}
          visible={visible}
          onChange={(order, hidden) => update({ order, hidden })}
        />
      </div>
      <p class="dt-summary" role="status">
        {needle
          ? t('Shown: {n} of {total}', { n: formatNumber(shownRows), total: formatNumber(rows.length) })
          : t('Rows: {n}', { n: formatNumber(rows.length) })}
      </p>
      <div
        class="table-wrap dt-scroll"
        ref={wrapRef}
        onScroll={onScroll}
        style={height ? { height, maxHeight: 'none' } : undefined}
        tabIndex={0}
        role="region"
        aria-label={props.label}
      >
        <table class="dt-table" aria-rowcount={total + 1} aria-label={props.label}>
          <colgroup>
            {groupCount > 0 && <col style={{ width: `${groupCount * 1.25}rem` }} />}
            {visible.map((c) => (
              <col key={c.id} style={{ width: widthStyle(c.width) }} />
            ))}
          </colgroup>
          <thead>
            <tr aria-rowindex={1}>
              {groupCount > 0 && (
                <th scope="col" class="dt-indent">
                  <span class="dt-vh">{t('Group')}</span>
                </th>
              )}
              {visible.map((c) => {
                const sorted = settings.sort?.id === c.id ? (settings.sort.desc ? 'descending' : 'ascending') : undefined;
                const sortable = c.sortable !== false;
                return (
                  <th
                    key={c.id}
                    scope="col"
                    class={c.align === 'num' ? 'num' : undefined}
                    aria-sort={sorted ?? (sortable ? 'none' : undefined)}
                    draggable={c.groupable !== false && !props.noGrouping}
                    onDragStart={(e) => {
                      e.dataTransfer?.setData('text/x-lers-column', c.id);
                      e.dataTransfer?.setData('text/plain', c.id);
                    }}
                    data-column={c.id}
                  >
                    {sortable ? (
                      <button type="button" class="dt-sort" onClick={() => toggleSort(c)}>
                        {c.title}
                        <span class="dt-sort-mark" aria-hidden="true">
                          {sorted === 'ascending' ? ' ▲' : sorted === 'descending' ? ' ▼' : ''}
                        </span>
                      </button>
                    ) : (
                      c.title
                    )}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {first > 0 && (
              <tr class="dt-spacer" aria-hidden="true" style={{ height: `${first * ROW_HEIGHT}px` }}>
                <td colSpan={colSpan} />
              </tr>
            )}
            {slice}
            {last < total && (
              <tr class="dt-spacer" aria-hidden="true" style={{ height: `${(total - last) * ROW_HEIGHT}px` }}>
                <td colSpan={colSpan} />
              </tr>
            )}
            {total === 0 && (
              <tr class="dt-empty">
                <td colSpan={colSpan}>{props.empty ?? t('No rows.')}</td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function GroupZone<T>(props: {
  uid: string;
  columns: Column<T>[];
  group: string[];
  groupable: Column<T>[];
  onAdd: (id: string) => void;
  onRemove: (id: string) => void;
}) {
  const [over, setOver] = useState(false);
  const byId = new Map(props.columns.map((c) => [c.id, c]));
  const selectId = `${props.uid}-group-by`;
  return (
    <div class="dt-grouping">
      <div
        class={'dt-group-zone' + (over ? ' over' : '')}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          const id = e.dataTransfer?.getData('text/x-lers-column') || e.dataTransfer?.getData('text/plain');
          if (id) props.onAdd(id);
        }}
      >
        {props.group.length === 0 ? (
          <span class="dt-group-hint">{t('Drag a column header here to group by it')}</span>
        ) : (
          props.group.map((id) => (
            <span class="dt-chip" key={id}>
              {byId.get(id)?.title ?? id}
              <button
                type="button"
                class="dt-chip-remove"
                aria-label={t('Remove grouping by {column}', { column: byId.get(id)?.title ?? id })}
                onClick={() => props.onRemove(id)}
              >
                ×
              </button>
            </span>
          ))
        )}
      </div>
      <label class="dt-group-by" for={selectId}>
        <span>{t('Group by')}</span>
        <select
          id={selectId}
          value=""
          onChange={(e) => {
            const v = (e.target as HTMLSelectElement).value;
            if (v) props.onAdd(v);
            (e.target as HTMLSelectElement).value = '';
          }}
        >
          <option value="">—</option>
          {props.groupable.map((c) => (
            <option key={c.id} value={c.id}>
              {c.title}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

function ColumnChooser<T>(props: {
  ordered: Column<T>[];
  visible: Column<T>[];
  onChange: (order: string[], hidden: string[]) => void;
}) {
  const ids = props.ordered.map((c) => c.id);
  const shown = new Set(props.visible.map((c) => c.id));
  const hiddenOf = (s: Set<string>) => ids.filter((id) => !s.has(id));
  const toggle = (id: string) => {
    const next = new Set(shown);
    if (next.has(id)) {
      if (next.size === 1) return; // keep one column
      next.delete(id);
    } else next.add(id);
    props.onChange(ids, hiddenOf(next));
  };
  const move = (i: number, by: number) => {
    const j = i + by;
    if (j < 0 || j >= ids.length) return;
    const order = ids.slice();
    [order[i], order[j]] = [order[j], order[i]];
    props.onChange(order, hiddenOf(shown));
  };
  return (
    <details class="dt-columns">
      <summary>{t('Columns')}</summary>
      <ul class="dt-columns-menu">
        {props.ordered.map((c, i) => (
          <li key={c.id}>
            <label>
              <input type="checkbox" checked={shown.has(c.id)} onChange={() => toggle(c.id)} /> {c.title}
            </label>
            <span class="dt-move">
              <button
                type="button"
                aria-label={t('Move “{column}” up', { column: c.title })}
                disabled={i === 0}
                onClick={() => move(i, -1)}
              >
                ↑
              </button>
              <button
                type="button"
                aria-label={t('Move “{column}” down', { column: c.title })}
                disabled={i === props.ordered.length - 1}
                onClick={() => move(i, 1)}
              >
                ↓
              </button>
            </span>
          </li>
        ))}
      </ul>
    </details>
  );
}
