// SPDX-License-Identifier: LGPL-2.1-or-later
// The objects list (объекты учёта): search as one types (kept in ?q=),
// filters by territory and group (?territory=, ?group=), the state of each
// node from /nodes/states, and the table's columns, sorting and grouping
// remembered per user ("nodes.table").
import { useMemo } from 'preact/hooks';
import type { Column } from '../components/data-table';
import { DataTable } from '../components/data-table';
import { Field } from '../components/field';
import { OfflineNote } from '../components/offline-note';
import { ErrorMessage, Loading, Page } from '../components/page';
import { formatDateTime } from '../format';
import { useLanguage, useLoad } from '../hooks';
import { language, t } from '../i18n';
import { setQuery } from '../router';
import type { PageProps } from '../routes';
import type { Node, NodeState, Territory } from './objects-data';
import { getAllAnswer, loadStates, loadTerritories, offsetOf, stateRank, stateText, territoryZones, useQueryText } from './objects-data';

export interface NodeRow {
  node: Node;
  state: NodeState | undefined;
  territory: Territory | undefined;
  zone: string | undefined;
}

export default function Nodes(props: PageProps) {
  useLanguage();
  const [q, setQ] = useQueryText('q', props.query.get('q') ?? '');
  const territoryFilter = props.query.get('territory') ?? '';
  const groupFilter = props.query.get('group') ?? '';
  const data = useLoad(
    async (signal) => {
      const [answer, territories, states] = await Promise.all([
        getAllAnswer<Node>('/nodes?order=title', signal),
        loadTerritories(signal),
        loadStates<NodeState>('nodes', signal),
      ]);
      return { nodes: answer.items, offline: answer.offline, storedAt: answer.storedAt, territories, states };
    },
    [],
  );

  const all = useMemo<NodeRow[]>(() => {
    if (!data.data) return [];
    const { nodes, territories, states } = data.data;
    const zones = territoryZones(territories);
    const byId = new Map(territories.map((x) => [x.id, x]));
    return nodes.map((node) => {
      const state = states.get(node.id);
      const zone =
        (node.territory_id !== null ? zones.get(node.territory_id) : undefined) ?? offsetOf(state?.last_reading);
      return { node, state, territory: node.territory_id !== null ? byId.get(node.territory_id) : undefined, zone };
    });
  }, [data.data]);

  const rows = useMemo(
    () =>
      all.filter(
        (r) =>
          (!territoryFilter || String(r.node.territory_id) === territoryFilter) &&
          (!groupFilter || (r.node.groups ?? []).includes(groupFilter)),
      ),
    [all, territoryFilter, groupFilter],
  );
  const groups = useMemo(() => {
    const s = new Set<string>();
    for (const r of all) for (const g of r.node.groups ?? []) s.add(g);
    return [...s].sort((a, b) => a.localeCompare(b, 'ru'));
  }, [all]);

  const lang = language();
  const columns = useMemo(() => nodeColumns(), [lang]);

  if (data.error && !data.data) {
    return (
      <Page title={t('Metering objects')}>
        <ErrorMessage error={data.error} />
      </Page>
    );
  }
  const territories = data.data?.territories ?? [];
  return (
    <Page title={t('Metering objects')}>
      <div class="list-filters" role="search">
        <Field id="nodes-q" label={t('Search')}>
          <input
            id="nodes-q"
            type="search"
            value={q}
            placeholder={t('Title, address, number, customer…')}
            onInput={(e) => setQ((e.target as HTMLInputElement).value)}
          />
        </Field>
        {territories.length > 0 && (
          <Field id="nodes-territory" label={t('Territory')}>
            <select
              id="nodes-territory"
              value={territoryFilter}
              onChange={(e) => setQuery({ territory: (e.target as HTMLSelectElement).value })}
            >
              <option value="">{t('All')}</option>
              {territories.map((x) => (
                <option key={x.id} value={String(x.id)}>
                  {x.title}
                </option>
              ))}
            </select>
          </Field>
        )}
        {groups.length > 0 && (
          <Field id="nodes-group" label={t('Group')}>
            <select
              id="nodes-group"
              value={groupFilter}
              onChange={(e) => setQuery({ group: (e.target as HTMLSelectElement).value })}
            >
              <option value="">{t('All')}</option>
              {groups.map((g) => (
                <option key={g} value={g}>
                  {g}
                </option>
              ))}
            </select>
          </Field>
        )}
      </div>
      {data.error && <ErrorMessage error={data.error} />}
      {data.data && <OfflineNote offline={data.data.offline} storedAt={data.data.storedAt} />}
      {!data.data ? (
        <Loading />
      ) : (
        <DataTable<NodeRow>
          label={t('Metering objects')}
          columns={columns}
          rows={rows}
          linkColumn="title"
          rowKey={(r) => r.node.id}
          rowHref={(r) => `/nodes/${r.node.id}`}
          settingsKey="nodes.table"
          filterText={q}
          defaultSort={{ id: 'title', desc: false }}
          empty={q ? t('No object matches the search.') : t('No metering objects.')}
        />
      )}
    </Page>
  );
}

function nodeColumns(): Column<NodeRow>[] {
  return [
    {
      id: 'state',
      title: t('State'),
      value: (r) => stateRank(r.state?.state),
      text: (r) => stateText(r.state?.state),
      render: (r) => <span class={`state state-${r.state?.state ?? 'unknown'}`}>{stateText(r.state?.state)}</span>,
      width: '9rem',
    },
    { id: 'title', title: t('Title'), value: (r) => r.node.title, width: '16rem' },
    { id: 'address', title: t('Address'), value: (r) => r.node.address, width: '16rem' },
    { id: 'number', title: t('Number'), value: (r) => r.node.number, width: '7rem' },
    { id: 'customer', title: t('Customer'), value: (r) => r.node.customer, width: '12rem' },
    { id: 'contract', title: t('Contract'), value: (r) => r.node.contract, width: '8rem' },
    { id: 'territory', title: t('Territory'), value: (r) => r.territory?.title ?? null, width: '10rem' },
    { id: 'groups', title: t('Groups'), value: (r) => (r.node.groups ?? []).join(', '), width: '10rem' },
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
