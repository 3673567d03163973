// SPDX-License-Identifier: LGPL-2.1-or-later
// Нештатные ситуации (#/incidents). Until incidents of their own exist (the
// diagnostics issue), this page lists what the server knows now: the open
// problems of the measure points (GET /points/states) and the recent meter
// events (GET /events), filtered by period and node (kept in the query:
// ?from=&to=&node=), each table sortable by any column.
import type { ComponentChildren } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import { getAll, query } from '../api';
import { Field, fieldId } from '../components/field';
import { ErrorMessage, Loading, Page } from '../components/page';
import { formatDateTime } from '../format';
import { useLoad } from '../hooks';
import { t } from '../i18n';
import { href, setQuery } from '../router';
import type { PageProps } from '../routes';
import type { NodesInfo, PointItem, PointState } from './monitoring';
import { loadNodesInfo, loadPointStates, nodeTitle, stateLabel, zoneFor } from './monitoring';

interface MeterEvent {
  id: number;
  point_id: number;
  code: string | null;
  device_code: number | null;
  text: string | null;
  start: string;
  end: string | null;
  severity: 'info' | 'warning' | 'alarm';
}

function severityLabel(s: string): string {
  return s === 'alarm' ? t('alarm') : s === 'warning' ? t('warning') : t('information');
}

interface Column<T> {
  id: string;
  title: string;
  value: (row: T) => string | number;
  render?: (row: T) => ComponentChildren;
  num?: boolean;
}

/** A plain sortable table: a header is a button; a second click reverses. */
function SortableTable<T>(props: {
  caption: string;
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string | number;
  initial: { id: string; desc: boolean };
  rowClass?: (row: T) => string | undefined;
}) {
  const [sort, setSort] = useState(props.initial);
  const sorted = useMemo(() => {
    const col = props.columns.find((c) => c.id === sort.id) ?? props.columns[0];
    const out = [...props.rows];
    out.sort((a, b) => {
      const x = col.value(a);
      const y = col.value(b);
      const r = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'ru');
      return sort.desc ? -r : r;
    });
    return out;
  }, [props.rows, props.columns, sort]);
  return (
    <div class="table-wrap">
      <table class="incidents-table">
        <caption class="visually-hidden">{props.caption}</caption>
        <thead>
          <tr>
            {props.columns.map((c) => (
              <th
                key={c.id}
                scope="col"
                class={c.num ? 'num' : undefined}
                aria-sort={sort.id === c.id ? (sort.desc ? 'descending' : 'ascending') : 'none'}
              >
                <button
                  type="button"
                  class="sort-button"
                  onClick={() => setSort({ id: c.id, desc: sort.id === c.id ? !sort.desc : false })}
                >
                  {c.title}
                  <span aria-hidden="true">{sort.id === c.id ? (sort.desc ? ' ▼' : ' ▲') : ''}</span>
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {sorted.map((r) => (
            <tr key={props.rowKey(r)} class={props.rowClass?.(r)}>
              {props.columns.map((c) => (
                <td key={c.id} class={c.num ? 'num' : undefined}>
                  {c.render ? c.render(r) : c.value(r)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

interface Base {
  info: NodesInfo;
  points: Map<number, PointItem>;
  states: PointState[];
}

async function loadBase(signal: AbortSignal): Promise<Base> {
  const [info, points, states] = await Promise.all([
    loadNodesInfo(signal),
    getAll<PointItem>('/points', 100000, signal),
    loadPointStates(signal),
  ]);
  return { info, points: new Map(points.map((p) => [p.id, p])), states };
}

/** yyyy-mm-dd of a day @daysAgo before today (the browser's calendar) */
function day(daysAgo: number): string {
  const d = new Date(Date.now() - daysAgo * 86400000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
/** The browser's local midnight of @dayText as ISO 8601 in UTC, whole seconds */
function isoUtc(dayText: string): string {
  return new Date(dayText + 'T00:00:00').toISOString().replace(/\.\d{3}Z$/, 'Z');
}
const isDay = (s: string) => /^\d{4}-\d\d-\d\d$/.test(s);

interface ProblemRow {
  key: string;
  node_id: number;
  point_id: number;
  node: string;
  point: string;
  state: PointState['state'];
  code: string;
  message: string;
  last: string | null;
}
interface EventRow extends MeterEvent {
  node_id: number;
  node: string;
  point: string;
}

export default function IncidentsPage(props: PageProps) {
  const from = isDay(props.query.get('from') ?? '') ? (props.query.get('from') as string) : day(7);
  const to = isDay(props.query.get('to') ?? '') ? (props.query.get('to') as string) : day(-1);
  const nodeFilter = props.query.get('node') ?? '';
  const nodeId = /^\d+$/.test(nodeFilter) ? Number(nodeFilter) : null;
  const ids = useMemo(() => ({ from: fieldId('inc-from'), to: fieldId('inc-to'), node: fieldId('inc-node') }), []);
  const base = useLoad(loadBase, []);
  const events = useLoad(
    (signal) =>
      getAll<MeterEvent>(
        '/events' +
          query({
            'start.ge': isoUtc(from),
            'start.lt': isoUtc(to),
            order: '-start',
          }),
        5000,
        signal,
      ),
    [from, to],
  );

  const b = base.data;
  const pointTitle = (id: number) => b?.points.get(id)?.title || `#${id}`;
  const problems = useMemo<ProblemRow[]>(() => {
    if (!b) return [];
    const out: ProblemRow[] = [];
    for (const s of b.states) {
      if (nodeId !== null && s.node_id !== nodeId) continue;
      s.problems.forEach((p, i) =>
        out.push({
          key: `${s.point_id}/${i}`,
          node_id: s.node_id,
          point_id: s.point_id,
          node: nodeTitle(b.info.byId.get(s.node_id), s.node_id),
          point: b.points.get(s.point_id)?.title || `#${s.point_id}`,
          state: s.state,
          code: p.code,
          message: p.message,
          last: s.last_reading,
        }),
      );
    }
    return out;
  }, [b, nodeId]);
  const eventRows = useMemo<EventRow[]>(() => {
    if (!b || !events.data) return [];
    const out: EventRow[] = [];
    for (const e of events.data) {
      const node = b.points.get(e.point_id)?.node_id;
      if (node === undefined || (nodeId !== null && node !== nodeId)) continue;
      out.push({ ...e, node_id: node, node: nodeTitle(b.info.byId.get(node), node), point: pointTitle(e.point_id) });
    }
    return out;
  }, [b, events.data, nodeId]);

  const zone = (nodeOf: number, time: string | null) => zoneFor(b?.info, nodeOf, time);
  const nodeLink = (r: { node_id: number; node: string }) => <a href={href(`/nodes/${r.node_id}`)}>{r.node}</a>;
  const pointLink = (r: { point_id: number; point: string }) => <a href={href(`/points/${r.point_id}`)}>{r.point}</a>;
  const time = (v: string | null) => (v ? new Date(v).getTime() : 0);

  return (
    <Page title={t('Incidents')}>
      <p class="incidents-intro">
        {t(
          'What the server knows now: the open problems of the measure points and the meter events of the period. Incidents with their own history come with the diagnostics.',
        )}
      </p>
      <form class="toolbar" role="search" aria-label={t('Filters')} onSubmit={(e) => e.preventDefault()}>
        <Field id={ids.from} label={t('From')}>
          <input id={ids.from} type="date" value={from} onChange={(e) => setQuery({ from: (e.target as HTMLInputElement).value })} />
        </Field>
        <Field id={ids.to} label={t('To (not included)')}>
          <input id={ids.to} type="date" value={to} onChange={(e) => setQuery({ to: (e.target as HTMLInputElement).value })} />
        </Field>
        <Field id={ids.node} label={t('Metering object')}>
          <select id={ids.node} value={nodeFilter} onChange={(e) => setQuery({ node: (e.target as HTMLSelectElement).value })}>
            <option value="">{t('All objects')}</option>
            {(b?.info.nodes ?? []).map((n) => (
              <option key={n.id} value={String(n.id)}>
                {nodeTitle(n, n.id)}
              </option>
            ))}
          </select>
        </Field>
      </form>

      <h2 id="problems-title" class="incidents-heading">{t('Open problems')}</h2>
      {base.error ? (
        <ErrorMessage error={base.error} />
      ) : !b ? (
        <Loading />
      ) : problems.length === 0 ? (
        <p class="incidents-none">{t('No open problems.')}</p>
      ) : (
        <section aria-labelledby="problems-title" class="incidents-problems">
          <SortableTable<ProblemRow>
            caption={t('Open problems')}
            rows={problems}
            rowKey={(r) => r.key}
            initial={{ id: 'node', desc: false }}
            columns={[
              { id: 'node', title: t('Metering object'), value: (r) => r.node, render: nodeLink },
              { id: 'point', title: t('Measure point'), value: (r) => r.point, render: pointLink },
              {
                id: 'state',
                title: t('State'),
                value: (r) => ['unknown', 'normal', 'warning', 'critical'].indexOf(r.state),
                render: (r) => <span class={`state state-${r.state}`}>{stateLabel(r.state)}</span>,
              },
              { id: 'code', title: t('Code'), value: (r) => r.code, render: (r) => <code>{r.code}</code> },
              { id: 'message', title: t('Message'), value: (r) => r.message },
              {
                id: 'last',
                title: t('Last reading'),
                value: (r) => time(r.last),
                render: (r) => formatDateTime(r.last, zone(r.node_id, r.last)),
              },
            ]}
          />
        </section>
      )}

      <h2 id="events-title" class="incidents-heading">{t('Meter events')}</h2>
      {events.error ? (
        <ErrorMessage error={events.error} />
      ) : !events.data || !b ? (
        <Loading />
      ) : eventRows.length === 0 ? (
        <p class="incidents-none">{t('No meter events in this period.')}</p>
      ) : (
        <section aria-labelledby="events-title" class="incidents-events">
          <SortableTable<EventRow>
            caption={t('Meter events')}
            rows={eventRows}
            rowKey={(r) => r.id}
            initial={{ id: 'start', desc: true }}
            rowClass={(r) => `severity-${r.severity}`}
            columns={[
              {
                id: 'start',
                title: t('Start'),
                value: (r) => time(r.start),
                render: (r) => formatDateTime(r.start, zone(r.node_id, r.start)),
              },
              {
                id: 'end',
                title: t('End'),
                value: (r) => time(r.end),
                render: (r) => (r.end ? formatDateTime(r.end, zone(r.node_id, r.end)) : t('not over')),
              },
              { id: 'node', title: t('Metering object'), value: (r) => r.node, render: nodeLink },
              { id: 'point', title: t('Measure point'), value: (r) => r.point, render: pointLink },
              {
                id: 'severity',
                title: t('Severity'),
                value: (r) => ['info', 'warning', 'alarm'].indexOf(r.severity),
                render: (r) => <span class={`severity severity-${r.severity}`}>{severityLabel(r.severity)}</span>,
              },
              { id: 'code', title: t('Code'), value: (r) => r.code ?? '', render: (r) => <code>{r.code ?? ''}</code> },
              { id: 'text', title: t('Event'), value: (r) => r.text ?? '' },
            ]}
          />
        </section>
      )}
    </Page>
  );
}
