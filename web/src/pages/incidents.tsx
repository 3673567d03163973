// SPDX-License-Identifier: LGPL-2.1-or-later
// Нештатные ситуации (#/incidents). Until incidents of their own exist (the
// diagnostics issue), this page lists what the server knows now: the open
// problems of the measure points (GET /points/states) and the recent meter
// events (GET /events), filtered by period and node (kept in the query:
// ?from=&to=&node=), each table sortable by any column.
import { useMemo } from 'preact/hooks';
import { getAll, query } from '../api';
import type { Column } from '../components/data-table';
import { DataTable, ROW_HEIGHT } from '../components/data-table';
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

/** A table of this page: DataTable, sortable and groupable, its height
 * following its rows up to half a screen. */
function IncidentTable<T>(props: {
  caption: string;
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string | number;
  initial: { id: string; desc: boolean };
  rowClass?: (row: T) => string | undefined;
}) {
  return (
    <DataTable<T>
      label={props.caption}
      columns={props.columns}
      rows={props.rows}
      rowKey={props.rowKey}
      defaultSort={props.initial}
      rowClass={props.rowClass}
      height={`min(50vh, ${(props.rows.length + 1) * ROW_HEIGHT + 4}px)`}
    />
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
  const time = (v: string | null) => (v ? new Date(v).getTime() : null);

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
          <IncidentTable<ProblemRow>
            caption={t('Open problems')}
            rows={problems}
            rowKey={(r) => r.key}
            initial={{ id: 'node', desc: false }}
            rowClass={() => 'problem-row'}
            columns={[
              { id: 'node', title: t('Metering object'), value: (r) => r.node, render: nodeLink },
              { id: 'point', title: t('Measure point'), value: (r) => r.point, render: pointLink },
              {
                id: 'state',
                title: t('State'),
                value: (r) => ['unknown', 'normal', 'warning', 'critical'].indexOf(r.state),
                text: (r) => stateLabel(r.state),
                render: (r) => <span class={`state state-${r.state}`}>{stateLabel(r.state)}</span>,
              },
              { id: 'code', title: t('Code'), value: (r) => r.code, render: (r) => <code>{r.code}</code> },
              { id: 'message', title: t('Message'), value: (r) => r.message },
              {
                id: 'last',
                title: t('Last reading'),
                value: (r) => time(r.last),
                text: (r) => formatDateTime(r.last, zone(r.node_id, r.last)),
              },
            ]}
          />
        </section>
      )}

      <h2 id="events-title" class="incidents-heading">{t('Events of the meters')}</h2>
      {events.error ? (
        <ErrorMessage error={events.error} />
      ) : !events.data || !b ? (
        <Loading />
      ) : eventRows.length === 0 ? (
        <p class="incidents-none">{t('No meter events in this period.')}</p>
      ) : (
        <section aria-labelledby="events-title" class="incidents-events">
          <IncidentTable<EventRow>
            caption={t('Events of the meters')}
            rows={eventRows}
            rowKey={(r) => r.id}
            initial={{ id: 'start', desc: true }}
            rowClass={(r) => `event-row severity-${r.severity}`}
            columns={[
              {
                id: 'start',
                title: t('Start'),
                value: (r) => time(r.start),
                text: (r) => formatDateTime(r.start, zone(r.node_id, r.start)),
              },
              {
                id: 'end',
                title: t('End'),
                value: (r) => time(r.end),
                text: (r) => (r.end ? formatDateTime(r.end, zone(r.node_id, r.end)) : t('not over')),
              },
              { id: 'node', title: t('Metering object'), value: (r) => r.node, render: nodeLink },
              { id: 'point', title: t('Measure point'), value: (r) => r.point, render: pointLink },
              {
                id: 'severity',
                title: t('Severity'),
                value: (r) => ['info', 'warning', 'alarm'].indexOf(r.severity),
                text: (r) => severityLabel(r.severity),
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
