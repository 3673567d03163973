// SPDX-License-Identifier: LGPL-2.1-or-later
// Сводка текущих (#/current): the newest current values of many points in
// one table, one column a parameter, kept up to date by the server's stream
// (live.ts): a changed value lights up briefly, stale rows are greyed and
// say so, and the indicator says whether the stream is live. Filters by
// node, group and resource are kept in the query (?node=&group=&resource=).
import { useEffect, useMemo, useState } from 'preact/hooks';
import { Field, fieldId } from '../components/field';
import type { Column } from '../components/data-table';
import { DataTable, ROW_HEIGHT } from '../components/data-table';
import { ErrorMessage, Loading, Page } from '../components/page';
import { formatDateTime, formatNumber } from '../format';
import { useInterval, useLoad } from '../hooks';
import { t } from '../i18n';
import type { CurrentItem, LiveState } from '../live';
import { useCurrent } from '../live';
import { href, setQuery } from '../router';
import type { PageProps } from '../routes';
import { isStaff } from '../session';
import { loadNodesInfo, nodeTitle, resourceLabel, unitLabel, zoneFor } from './monitoring';

const RESOURCES = ['heat', 'hot-water', 'cold-water', 'gas', 'electricity', 'steam'];
/** How long a changed value stays lit, ms */
const HIGHLIGHT_MS = 3000;

export function LiveIndicator(props: { state: LiveState }) {
  const text =
    props.state === 'live' ? t('online') : props.state === 'reconnecting' ? t('reconnecting…') : t('connecting…');
  return (
    <span class={`live-indicator live-${props.state}`} role="status">
      {text}
    </span>
  );
}

export default function CurrentPage(props: PageProps) {
  const nodeFilter = props.query.get('node') ?? '';
  const groupFilter = props.query.get('group') ?? '';
  const resourceFilter = props.query.get('resource') ?? '';
  const info = useLoad((signal) => loadNodesInfo(signal), []);
  const ids = useMemo(() => ({ node: fieldId('cur-node'), group: fieldId('cur-group'), resource: fieldId('cur-resource') }), []);
  // one node: the server filters; else every point, filtered here
  const nodeId = /^\d+$/.test(nodeFilter) ? Number(nodeFilter) : null;
  const live = useCurrent(nodeId !== null ? { node: [nodeId] } : {});
  const [now, setNow] = useState(Date.now());
  const lit = [...live.changed.values()].some((c) => now - c.at < HIGHLIGHT_MS);
  const freshChange = (id: number) => {
    const c = live.changed.get(id);
    return c && now - c.at < HIGHLIGHT_MS ? c : undefined;
  };
  useInterval(() => lit && setNow(Date.now()), 1000);
  useEffect(() => setNow(Date.now()), [live.changed]);

  const groupTitle = info.data?.groups.find((g) => String(g.id) === groupFilter)?.title;
  const rows = useMemo(() => {
    const list: CurrentItem[] = [];
    for (const item of live.items.values()) {
      if (nodeId !== null && item.node_id !== nodeId) continue;
      if (resourceFilter && item.resource !== resourceFilter) continue;
      if (groupTitle !== undefined && !(info.data?.byId.get(item.node_id)?.groups ?? []).includes(groupTitle)) continue;
      list.push(item);
    }
    return list;
  }, [live.items, nodeId, resourceFilter, groupTitle, info.data]);

  // one column a parameter, in the order they first appear
  const parameters = useMemo(() => {
    const seen = new Map<string, string>();
    for (const r of rows) for (const v of r.values) if (!seen.has(v.parameter)) seen.set(v.parameter, v.unit);
    return [...seen.keys()];
  }, [rows]);

  const zoneOf = (r: CurrentItem) => zoneFor(info.data, r.node_id, r.time);
  const columns: Column<CurrentItem>[] = [
    {
      id: 'node',
      title: t('Metering object'),
      value: (r) => r.node_title ?? '',
      render: (r) => <a href={href(`/nodes/${r.node_id}`)}>{r.node_title || `#${r.node_id}`}</a>,
      width: '12rem',
    },
    {
      id: 'point',
      title: t('Measure point'),
      value: (r) => r.point_title ?? '',
      render: (r) => <a href={href(`/points/${r.point_id}`)}>{r.point_title || `#${r.point_id}`}</a>,
      width: '11rem',
    },
    { id: 'resource', title: t('Resource'), value: (r) => resourceLabel(r.resource), width: '8rem' },
    {
      id: 'time',
      title: t('Time'),
      value: (r) => (r.time ? new Date(r.time).getTime() : null),
      text: (r) => (r.time ? formatDateTime(r.time, zoneOf(r)) : t('never read')) + (r.stale ? ` · ${t('stale')}` : ''),
      render: (r) => {
        const fresh = freshChange(r.point_id);
        return (
          <span class={'current-time' + (fresh ? ' changed' : '')} key={'time' + (fresh?.at ?? '')}>
            {r.time ? formatDateTime(r.time, zoneOf(r)) : t('never read')}
            {r.stale && <span class="stale-mark"> · {t('stale')}</span>}
          </span>
        );
      },
      width: '12.5rem',
      groupable: false,
    },
    ...parameters.map<Column<CurrentItem>>((p) => ({
      id: 'p:' + p,
      title: p,
      align: 'num',
      width: '8.5rem',
      groupable: false,
      value: (r) => r.values.find((v) => v.parameter === p)?.value ?? null,
      text: (r) => {
        const v = r.values.find((x) => x.parameter === p);
        return v ? `${formatNumber(v.value)} ${unitLabel(v.unit)}`.trim() : '';
      },
      render: (r) => {
        const v = r.values.find((x) => x.parameter === p);
        if (!v) return null;
        const fresh = freshChange(r.point_id);
        const lightUp = fresh?.parameters.has(p);
        const bad = v.flags.includes('bad');
        return (
          <span
            class={'current-value' + (lightUp ? ' changed' : '') + (bad ? ' bad' : '')}
            key={p + (lightUp ? fresh?.at : '')}
            data-parameter={p}
          >
            {`${formatNumber(v.value)} ${unitLabel(v.unit)}`.trim()}
            {bad && <span class="stale-mark"> ({t('invalid')})</span>}
          </span>
        );
      },
    })),
  ];

  const staff = isStaff();
  const nodes = info.data?.nodes ?? [];
  const groups = info.data?.groups ?? [];
  const staleCount = rows.filter((r) => r.stale).length;

  return (
    <Page title={t('Current values')} actions={<LiveIndicator state={live.state} />}>
      <form class="toolbar" role="search" aria-label={t('Filters')} onSubmit={(e) => e.preventDefault()}>
        <Field id={ids.node} label={t('Metering object')}>
          <select id={ids.node} value={nodeFilter} onChange={(e) => setQuery({ node: (e.target as HTMLSelectElement).value })}>
            <option value="">{t('All objects')}</option>
            {nodes.map((n) => (
              <option key={n.id} value={String(n.id)}>
                {nodeTitle(n, n.id)}
              </option>
            ))}
          </select>
        </Field>
        {staff && groups.length > 0 && (
          <Field id={ids.group} label={t('Group')}>
            <select id={ids.group} value={groupFilter} onChange={(e) => setQuery({ group: (e.target as HTMLSelectElement).value })}>
              <option value="">{t('All groups')}</option>
              {groups.map((g) => (
                <option key={g.id} value={String(g.id)}>
                  {g.title}
                </option>
              ))}
            </select>
          </Field>
        )}
        <Field id={ids.resource} label={t('Resource')}>
          <select
            id={ids.resource}
            value={resourceFilter}
            onChange={(e) => setQuery({ resource: (e.target as HTMLSelectElement).value })}
          >
            <option value="">{t('All resources')}</option>
            {RESOURCES.map((r) => (
              <option key={r} value={r}>
                {resourceLabel(r)}
              </option>
            ))}
          </select>
        </Field>
      </form>
      {info.error && <ErrorMessage error={info.error} />}
      {!live.loaded ? (
        live.state === 'reconnecting' ? (
          <p class="error" role="alert">
            {t('The server cannot be reached.')}
          </p>
        ) : (
          <Loading />
        )
      ) : rows.length === 0 ? (
        <p>{t('No measure points match the filters.')}</p>
      ) : (
        <>
          <p class="muted current-summary">
            {t('Points: {n}', { n: rows.length })}
            {staleCount > 0 && ` · ${t('stale: {n}', { n: staleCount })}`}
          </p>
          <div class="current-table">
            <DataTable<CurrentItem>
              label={t('The newest current values of the measure points')}
              settingsKey="current.table"
              rows={rows}
              rowKey={(r) => r.point_id}
              rowClass={(r) => `current-row point-${r.point_id} node-${r.node_id}` + (r.stale ? ' stale' : '')}
              defaultSort={{ id: 'node', desc: false }}
              height={`min(calc(100vh - 19rem), ${(rows.length + 1) * ROW_HEIGHT + 4}px)`}
              columns={columns}
            />
          </div>
        </>
      )}
    </Page>
  );
}
