// SPDX-License-Identifier: LGPL-2.1-or-later
// The points list (точки учёта): like the objects list, with the node,
// resource, device and state of each point; a row opens the point's page.
import { useMemo } from 'preact/hooks';
import { getAll } from '../api';
import type { Column } from '../components/data-table';
import { DataTable } from '../components/data-table';
import { Field } from '../components/field';
import { ErrorMessage, Loading, Page } from '../components/page';
import { formatDateTime } from '../format';
import { useLanguage, useLoad } from '../hooks';
import { language, t } from '../i18n';
import { href, setQuery } from '../router';
import type { PageProps } from '../routes';
import { isStaff } from '../session';
import type { Device, Node, Point, PointState } from './objects-data';
import {
  deviceText,
  loadStates,
  loadTerritories,
  offsetOf,
  resourceText,
  stateRank,
  stateText,
  territoryZones,
  useQueryText,
} from './objects-data';

interface PointRow {
  point: Point;
  node: Node | undefined;
  device: Device | undefined;
  state: PointState | undefined;
  zone: string | undefined;
}

const RESOURCES = ['heat', 'hot-water', 'cold-water', 'gas', 'electricity', 'steam'];

export default function Points(props: PageProps) {
  useLanguage();
  const [q, setQ] = useQueryText('q', props.query.get('q') ?? '');
  const resourceFilter = props.query.get('resource') ?? '';
  const data = useLoad(
    async (signal) => {
      const [points, nodes, territories, states, devices] = await Promise.all([
        getAll<Point>('/points?order=title', 100000, signal),
        getAll<Node>('/nodes', 100000, signal),
        loadTerritories(signal),
        loadStates<PointState>('points', signal),
        isStaff() ? getAll<Device>('/devices', 100000, signal).catch(() => [] as Device[]) : Promise.resolve([] as Device[]),
      ]);
      return { points, nodes, territories, states, devices };
    },
    [],
  );

  const all = useMemo<PointRow[]>(() => {
    if (!data.data) return [];
    const { points, nodes, territories, states, devices } = data.data;
    const zones = territoryZones(territories);
    const nodeById = new Map(nodes.map((n) => [n.id, n]));
    const deviceById = new Map(devices.map((d) => [d.id, d]));
    return points.map((point) => {
      const node = nodeById.get(point.node_id);
      const state = states.get(point.id);
      const zone =
        (node && node.territory_id !== null ? zones.get(node.territory_id) : undefined) ?? offsetOf(state?.last_reading);
      return { point, node, device: point.device_id !== null ? deviceById.get(point.device_id) : undefined, state, zone };
    });
  }, [data.data]);
  const rows = useMemo(
    () => (resourceFilter ? all.filter((r) => r.point.resource === resourceFilter) : all),
    [all, resourceFilter],
  );
  const lang = language();
  const columns = useMemo(() => pointColumns(), [lang]);

  if (data.error && !data.data) {
    return (
      <Page title={t('Measure points')}>
        <ErrorMessage error={data.error} />
      </Page>
    );
  }
  return (
    <Page title={t('Measure points')}>
      <div class="list-filters" role="search">
        <Field id="points-q" label={t('Search')}>
          <input
            id="points-q"
            type="search"
            value={q}
            placeholder={t('Title, object, device…')}
            onInput={(e) => setQ((e.target as HTMLInputElement).value)}
          />
        </Field>
        <Field id="points-resource" label={t('Resource')}>
          <select
            id="points-resource"
            value={resourceFilter}
            onChange={(e) => setQuery({ resource: (e.target as HTMLSelectElement).value })}
          >
            <option value="">{t('All')}</option>
            {RESOURCES.map((r) => (
              <option key={r} value={r}>
                {resourceText(r)}
              </option>
            ))}
          </select>
        </Field>
      </div>
      {data.error && <ErrorMessage error={data.error} />}
      {!data.data ? (
        <Loading />
      ) : (
        <DataTable<PointRow>
          label={t('Measure points')}
          columns={columns}
          rows={rows}
          linkColumn="title"
          rowKey={(r) => r.point.id}
          rowHref={(r) => `/points/${r.point.id}`}
          settingsKey="points.table"
          filterText={q}
          defaultSort={{ id: 'node', desc: false }}
          empty={q ? t('No point matches the search.') : t('No measure points.')}
        />
      )}
    </Page>
  );
}

function pointColumns(): Column<PointRow>[] {
  return [
    { id: 'title', title: t('Title'), value: (r) => r.point.title, width: '14rem' },
    {
      id: 'node',
      title: t('Metering object'),
      value: (r) => r.node?.title ?? null,
      render: (r) => (r.node ? <a href={href(`/nodes/${r.node.id}`)}>{r.node.title}</a> : '—'),
      width: '16rem',
      hasLinks: true,
    },
    { id: 'address', title: t('Address'), value: (r) => r.node?.address ?? null, width: '14rem', hidden: true },
    { id: 'resource', title: t('Resource'), value: (r) => resourceText(r.point.resource), width: '10rem' },
    {
      id: 'device',
      title: t('Device'),
      value: (r) => deviceText(r.device, r.point.device_id) || null,
      width: '12rem',
    },
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
      render: (r) => (r.state?.last_reading ? formatDateTime(r.state.last_reading, r.zone) : '—'),
      align: 'num',
      width: '11rem',
      groupable: false,
    },
  ];
}
