// SPDX-License-Identifier: LGPL-2.1-or-later
// The point page's table: fixed-height rows, only those in view (and a
// margin) in the DOM, so a year of hours (8760 rows) scrolls smoothly; the
// header stays on top. (The lists' DataTable does the same with sorting
// and grouping; an archive needs neither: it is in time order.)
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';

export interface TableColumn<T> {
  id: string;
  title: ComponentChildren;
  align?: 'num';
  cell: (row: T) => { text: ComponentChildren; title?: string; className?: string };
}

const ROW_HEIGHT = 32;
const MARGIN = 20;

export function VirtualTable<T>(props: {
  columns: TableColumn<T>[];
  rows: T[];
  rowKey: (row: T, index: number) => string | number;
  caption: string;
  /** Height of the scrolling area in CSS pixels (rows beyond scroll). */
  height?: number;
}) {
  const wrap = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewHeight, setViewHeight] = useState(props.height ?? 480);
  useEffect(() => {
    const el = wrap.current;
    if (!el) return;
    setViewHeight(el.clientHeight || (props.height ?? 480));
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => setViewHeight(el.clientHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  // a new set of rows starts at its top
  useEffect(() => {
    if (wrap.current) wrap.current.scrollTop = 0;
    setScrollTop(0);
  }, [props.rows]);

  const n = props.rows.length;
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - MARGIN);
  const last = Math.min(n, Math.ceil((scrollTop + viewHeight) / ROW_HEIGHT) + MARGIN);
  const cols = props.columns.length;
  return (
    <div
      class="table-wrap point-table"
      ref={wrap}
      style={{ maxHeight: `${props.height ?? 480}px` }}
      tabIndex={0}
      role="region"
      aria-label={props.caption}
      onScroll={(e) => setScrollTop((e.currentTarget as HTMLDivElement).scrollTop)}
    >
      <table aria-rowcount={n + 1}>
        <caption class="pt-hidden">{props.caption}</caption>
        <thead>
          <tr aria-rowindex={1}>
            {props.columns.map((c) => (
              <th key={c.id} scope="col" class={c.align === 'num' ? 'num' : undefined}>
                {c.title}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {first > 0 && (
            <tr class="spacer" aria-hidden="true" style={{ height: `${first * ROW_HEIGHT}px` }}>
              <td colSpan={cols} />
            </tr>
          )}
          {props.rows.slice(first, last).map((row, i) => (
            <tr key={props.rowKey(row, first + i)} aria-rowindex={first + i + 2} style={{ height: `${ROW_HEIGHT}px` }}>
              {props.columns.map((c, ci) => {
                const cell = c.cell(row);
                const cls = [c.align === 'num' ? 'num' : '', cell.className ?? ''].filter(Boolean).join(' ');
                return ci === 0 ? (
                  <th key={c.id} scope="row" class={cls || undefined} title={cell.title}>
                    {cell.text}
                  </th>
                ) : (
                  <td key={c.id} class={cls || undefined} title={cell.title}>
                    {cell.text}
                  </td>
                );
              })}
            </tr>
          ))}
          {last < n && (
            <tr class="spacer" aria-hidden="true" style={{ height: `${(n - last) * ROW_HEIGHT}px` }}>
              <td colSpan={cols} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
