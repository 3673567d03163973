// SPDX-License-Identifier: LGPL-2.1-or-later
// A node's page: its passport (every property, its territory and time
// zone, coordinates, state) and tabs: points, devices with calibration
// dates, meter events. The tabs are a list (nodeTabs) that later issues
// extend with theirs (incidents, work log); the tab shown is kept in ?tab=.
import type { ComponentChildren } from 'preact';
import { useMemo } from 'preact/hooks';
import { get, getAll } from '../api';
import type { Column } from '../components/data-table';
import { DataTable } from '../components/data-table';
import { ErrorMessage, Loading, Page } from '../components/page';
import { formatDate, formatDateTime, formatNumber, zonedParts } from '../format';
import { useLanguage, useLoad } from '../hooks';
import { language, t } from '../i18n';
import { href, setQuery } from '../router';
import type { PageProps } from '../routes';
import type { User } from '../session';
import { currentUser, isStaff } from '../session';
import type { Connection, Device, MeterEvent, Node, NodeState, Point, PointState, Territory } from './objects-data';
import {
  loadStates,
  loadTerritories,
  nodeTypeText,
  offsetOf,
  resourceText,
  stateRank,
  stateText,
  territoryZones,
} from './objects-data';

/** What a tab gets: the node, its points and where its times are shown. */
export interface NodeContext {
  node: Node;
  points: Point[];
  pointStates: Map<number, PointState>;
  zone: string | undefined;
}

export interface NodeTab {
  id: string;
  title: () => string;
  allowed?: (u: User | null) => boolean;
  render: (ctx: NodeContext) => ComponentChildren;
}

/** The node page's tabs, in order. Later issues add theirs here. */
export const nodeTabs: NodeTab[] = [
  { id: 'points', title: () => t('Points'), render: (ctx) => <PointsTab ctx={ctx} /> },
  { id: 'devices', title: () => t('Devices'), allowed: (u) => isStaff(u), render: (ctx) => <DevicesTab ctx={ctx} /> },
  { id: 'events', title: () => t('Events of the meters'), render: (ctx) => <EventsTab ctx={ctx} /> },
];

export default function NodePage(props: PageProps) {
  useLanguage();
  const id = props.params.id;
  const data = useLoad(
    async (signal) => {
      const node = await get<Node>(`/nodes/${encodeURIComponent(id)}`, signal);
      const [points, territories, nodeStates, pointStates] = await Promise.all([
        getAll<Point>(`/nodes/${node.id}/points?order=title`, 10000, signal),
        loadTerritories(signal),
        loadStates<NodeState>('nodes', signal),
        loadStates<PointState>('points', signal),
      ]);
      return { node, points, territories, state: nodeStates.get(node.id), pointStates };
    },
    [id],
  );
  if (data.error && !data.data) {
    return (
      <Page title={t('Metering object')}>
        <ErrorMessage error={data.error} />
      </Page>
    );
  }
  if (!data.data) {
    return (
      <Page title={t('Metering object')}>
        <Loading />
      </Page>
    );
  }
  const { node, points, territories, state, pointStates } = data.data;
  const territory = territories.find((x) => x.id === node.territory_id);
  const zone = (territory ? territoryZones(territories).get(territory.id) : undefined) ?? offsetOf(state?.last_reading);
  const ctx: NodeContext = { node, points, pointStates, zone };
  const tabs = nodeTabs.filter((tab) => !tab.allowed || tab.allowed(currentUser()));
  const tabId = tabs.find((x) => x.id === props.query.get('tab'))?.id ?? tabs[0]?.id;
  const current = tabs.find((x) => x.id === tabId);
  return (
    <Page title={node.title}>
      <p>
        <a href={href('/nodes')}>{t('All metering objects')}</a>
      </p>
      <Passport node={node} territory={territory} zone={zone} state={state} />
      <div class="tabs" role="tablist" aria-label={t('About the object')}>
        {tabs.map((tab) => (
          <button
            key={tab.id}
            type="button"
            role="tab"
            id={`tab-${tab.id}`}
            aria-selected={tab.id === tabId}
            aria-controls={`panel-${tab.id}`}
            tabIndex={tab.id === tabId ? 0 : -1}
            onClick={() => setQuery({ tab: tab.id })}
            onKeyDown={(e) => {
              const i = tabs.indexOf(tab);
              const by = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
              if (!by) return;
              const next = tabs[(i + by + tabs.length) % tabs.length];
              setQuery({ tab: next.id });
              requestAnimationFrame(() => document.getElementById(`tab-${next.id}`)?.focus());
            }}
          >
            {tab.title()}
          </button>
        ))}
      </div>
      {current && (
        <div role="tabpanel" id={`panel-${current.id}`} aria-labelledby={`tab-${current.id}`}>
          {current.render(ctx)}
        </div>
      )}
    </Page>
  );
}

function Passport(props: { node: Node; territory: Territory | undefined; zone: string | undefined; state: NodeState | undefined }) {
  const { node, territory, zone, state } = props;
  const item = (label: string, value: ComponentChildren) => (
    <>
      <dt>{label}</dt>
      <dd>{value === null || value === undefined || value === '' ? '—' : value}</dd>
    </>
  );
  const coords =
    node.latitude !== null && node.longitude !== null
      ? `${formatNumber(node.latitude, 4)}, ${formatNumber(node.longitude, 4)}`
      : null;
  return (
    <section class="node-passport" aria-labelledby="passport-title">
      <h2 id="passport-title">{t('Passport')}</h2>
      <dl class="properties">
        {item(t('State'), <span class={`state state-${state?.state ?? 'unknown'}`}>{stateText(state?.state)}</span>)}
        {state && state.problems.length > 0 &&
          item(
            t('Problems'),
            <ul class="problems">
              {state.problems.map((p, i) => (
                <li key={i}>{p.message}</li>
              ))}
            </ul>,
          )}
        {item(t('Last reading'), state?.last_reading ? formatDateTime(state.last_reading, zone) : null)}
        {item(t('Title'), node.title)}
        {item(t('Address'), node.address)}
        {item(t('Number'), node.number)}
        {item(t('Object type'), nodeTypeText(node.node_type))}
        {item(t('Customer'), node.customer)}
        {item(t('Contract'), node.contract)}
        {item(t('Temperature schedule'), node.temperature_schedule)}
        {item(t('Groups'), (node.groups ?? []).join(', '))}
        {item(t('Territory'), territory?.title)}
        {item(t('Time zone'), territory ? zone : null)}
        {item(t('Coordinates'), coords)}
        {item(t('Comment'), node.comment)}
      </dl>
    </section>
  );
}

interface PointRow {
  point: Point;
  state: PointState | undefined;
  zone: string | undefined;
}

function PointsTab(props: { ctx: NodeContext }) {
  const { points, pointStates, zone } = props.ctx;
  const lang = language();
  const rows = useMemo(() => points.map((point) => ({ point, state: pointStates.get(point.id), zone })), [points, pointStates, zone]);
  const columns = useMemo<Column<PointRow>[]>(
    () => [
      { id: 'title', title: t('Title'), value: (r) => r.point.title, width: '16rem' },
      { id: 'resource', title: t('Resource'), value: (r) => resourceText(r.point.resource), width: '10rem' },
      {
        id: 'state',
        title: t('State'),
        value: (r) => stateRank(r.state?.state),
        text: (r) => stateText(r.state?.state),
        render: (r) => <span class={`state state-${r.state?.state ?? 'unknown'}`}>{stateText(r.state?.state)}</span>,
        width: '9rem',
      },
      {
        id: 'last_reading',
        title: t('Last reading'),
        value: (r) => (r.state?.last_reading ? Date.parse(r.state.last_reading) : null),
        text: (r) => (r.state?.last_reading ? formatDateTime(r.state.last_reading, r.zone) : ''),
        align: 'num',
        width: '11rem',
      },
    ],
    [lang],
  );
  return (
    <DataTable<PointRow>
      label={t('Points')}
      columns={columns}
      rows={rows}
      rowKey={(r) => r.point.id}
      rowHref={(r) => `/points/${r.point.id}`}
      noGrouping
      empty={t('The object has no points.')}
    />
  );
}

/** @date (ISO) + @months, as the calendar date "YYYY-MM-DD" in @zone. */
export function addMonths(date: string, months: number, zone: string | undefined): string {
  const p = zonedParts(new Date(date), zone);
  const total = p.m - 1 + months;
  const y = p.y + Math.floor(total / 12);
  const m = (total % 12) + 1;
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate(); // days in month m
  const d = Math.min(p.d, last);
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function todayIn(zone: string | undefined): string {
  const p = zonedParts(new Date(), zone);
  return `${p.y}-${String(p.m).padStart(2, '0')}-${String(p.d).padStart(2, '0')}`;
}

/** "YYYY-MM-DD" as the reader writes a date (noon UTC: the same day everywhere). */
function showDay(day: string): string {
  return formatDate(`${day}T12:00:00Z`, 'UTC');
}

interface DeviceRow {
  device: Device;
  connection: Connection | undefined;
  points: Point[];
  next: string | null;
  overdue: boolean;
}

function DevicesTab(props: { ctx: NodeContext }) {
  const { points, zone } = props.ctx;
  const ids = [...new Set(points.map((p) => p.device_id).filter((x): x is number => x !== null))];
  const data = useLoad(
    async (signal) => {
      const devices = await Promise.all(ids.map((i) => get<Device>(`/devices/${i}`, signal)));
      const cids = [...new Set(devices.map((d) => d.connection_id).filter((x): x is number => x !== null))];
      const connections = await Promise.all(
        cids.map((c) => get<Connection>(`/connections/${c}`, signal).catch(() => undefined)),
      );
      return { devices, connections: connections.filter((c): c is Connection => !!c) };
    },
    [ids.join(',')],
  );
  const lang = language();
  const rows = useMemo<DeviceRow[]>(() => {
    if (!data.data) return [];
    const today = todayIn(zone);
    return data.data.devices.map((device) => {
      const next =
        device.calibration_date && device.calibration_interval
          ? addMonths(device.calibration_date, device.calibration_interval, zone)
          : null;
      return {
        device,
        connection: data.data!.connections.find((c) => c.id === device.connection_id),
        points: points.filter((p) => p.device_id === device.id),
        next,
        overdue: next !== null && next < today,
      };
    });
  }, [data.data, points, zone]);
  const columns = useMemo<Column<DeviceRow>[]>(
    () => [
      { id: 'model', title: t('Model'), value: (r) => r.device.model, width: '9rem' },
      { id: 'serial', title: t('Serial number'), value: (r) => r.device.serial_number, width: '9rem' },
      { id: 'address', title: t('Network address'), value: (r) => r.device.network_address, width: '8rem' },
      { id: 'protocol', title: t('Protocol'), value: (r) => r.device.protocol, width: '7rem' },
      { id: 'connection', title: t('Connection'), value: (r) => r.connection?.title ?? null, width: '11rem' },
      {
        id: 'points',
        title: t('Points'),
        value: (r) => r.points.map((p) => p.title).join(', '),
        width: '12rem',
      },
      {
        id: 'calibration',
        title: t('Calibration date'),
        value: (r) => (r.device.calibration_date ? Date.parse(r.device.calibration_date) : null),
        text: (r) => (r.device.calibration_date ? formatDate(r.device.calibration_date, zone) : ''),
        align: 'num',
        width: '9rem',
      },
      {
        id: 'interval',
        title: t('Interval, months'),
        value: (r) => r.device.calibration_interval || null,
        align: 'num',
        width: '7rem',
      },
      {
        id: 'next',
        title: t('Next calibration'),
        value: (r) => r.next,
        text: (r) => (r.next ? showDay(r.next) + (r.overdue ? ' ' + t('(overdue)') : '') : ''),
        render: (r) =>
          r.next ? (
            <span class={r.overdue ? 'overdue' : undefined}>
              {showDay(r.next)}
              {r.overdue && ' ' + t('(overdue)')}
            </span>
          ) : (
            '—'
          ),
        width: '12rem',
      },
    ],
    [lang, zone],
  );
  if (data.error) return <ErrorMessage error={data.error} />;
  if (!data.data) return <Loading />;
  return (
    <DataTable<DeviceRow>
      label={t('Devices')}
      columns={columns}
      rows={rows}
      rowKey={(r) => r.device.id}
      rowClass={(r) => r.overdue && 'calibration-overdue'}
      noGrouping
      empty={t('No devices are attached to the points of the object.')}
    />
  );
}

interface EventRow {
  event: MeterEvent;
  point: Point | undefined;
}

export function severityText(s: string): string {
  return s === 'alarm' ? t('Alarm') : s === 'warning' ? t('Warning') : t('Information');
}

function EventsTab(props: { ctx: NodeContext }) {
  const { points, zone } = props.ctx;
  const data = useLoad(
    async (signal) => {
      const lists = await Promise.all(
        points.map((p) => getAll<MeterEvent>(`/events?point_id=${p.id}&order=-start`, 1000, signal)),
      );
      return lists.flat();
    },
    [points.map((p) => p.id).join(',')],
  );
  const lang = language();
  const rows = useMemo<EventRow[]>(
    () => (data.data ?? []).map((event) => ({ event, point: points.find((p) => p.id === event.point_id) })),
    [data.data, points],
  );
  const columns = useMemo<Column<EventRow>[]>(
    () => [
      {
        id: 'start',
        title: t('Start'),
        value: (r) => Date.parse(r.event.start),
        text: (r) => formatDateTime(r.event.start, zone),
        align: 'num',
        width: '11rem',
      },
      {
        id: 'end',
        title: t('End'),
        value: (r) => (r.event.end ? Date.parse(r.event.end) : null),
        text: (r) => (r.event.end ? formatDateTime(r.event.end, zone) : t('continues')),
        align: 'num',
        width: '11rem',
      },
      {
        id: 'severity',
        title: t('Severity'),
        value: (r) => (r.event.severity === 'alarm' ? 3 : r.event.severity === 'warning' ? 2 : 1),
        text: (r) => severityText(r.event.severity),
        render: (r) => <span class={`severity-${r.event.severity}`}>{severityText(r.event.severity)}</span>,
        width: '9rem',
      },
      {
        id: 'point',
        title: t('Point'),
        value: (r) => r.point?.title ?? null,
        render: (r) => (r.point ? <a href={href(`/points/${r.point.id}`)}>{r.point.title}</a> : '—'),
        width: '12rem',
      },
      { id: 'text', title: t('Event'), value: (r) => r.event.text ?? r.event.code, width: '20rem' },
      { id: 'code', title: t('Code'), value: (r) => r.event.code, width: '10rem', hidden: true },
    ],
    [lang, zone],
  );
  if (data.error) return <ErrorMessage error={data.error} />;
  if (!data.data) return <Loading />;
  return (
    <DataTable<EventRow>
      label={t('Events of the meters')}
      columns={columns}
      rows={rows}
      rowKey={(r) => r.event.id}
      rowClass={(r) => r.event.end === null && 'event-open'}
      noGrouping
      defaultSort={{ id: 'start', desc: true }}
      empty={t('No meter events.')}
    />
  );
}
