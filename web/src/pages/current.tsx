// SPDX-License-Identifier: LGPL-2.1-or-later
// Сводка текущих (#/current): the newest current values of many points in
// one table, one column a parameter, kept up to date by the server's stream
// (live.ts): a changed value lights up briefly, stale rows are greyed and
// say so, and the indicator says whether the stream is live. Filters by
// node, group and resource are kept in the query (?node=&group=&resource=).
import { useEffect, useMemo, useState } from 'preact/hooks';
import { Field, fieldId } from '../components/field';
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
    const name = (i: CurrentItem) => (i.node_title ?? '') + '\u0000' + (i.point_title ?? '');
    return list.sort((a, b) => name(a).localeCompare(name(b), 'ru') || a.point_id - b.point_id);
  }, [live.items, nodeId, resourceFilter, groupTitle, info.data]);

  // one column a parameter, in the order they first appear
  const parameters = useMemo(() => {
    const seen = new Map<string, string>();
    for (const r of rows) for (const v of r.values) if (!seen.has(v.parameter)) seen.set(v.parameter, v.unit);
    return [...seen.keys()];
  }, [rows]);

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
          <div class="table-wrap current-table-wrap">
            <table class="current-table">
              <caption class="visually-hidden">{t('The newest current values of the measure points')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('Metering object')}</th>
                  <th scope="col">{t('Measure point')}</th>
                  <th scope="col">{t('Time')}</th>
                  {parameters.map((p) => (
                    <th key={p} scope="col" class="num">
                      {p}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => {
                  const changed = live.changed.get(r.point_id);
                  const fresh = changed && now - changed.at < HIGHLIGHT_MS ? changed : undefined;
                  const values = new Map(r.values.map((v) => [v.parameter, v]));
                  return (
                    <tr key={r.point_id} class={r.stale ? 'stale' : undefined} data-point-id={r.point_id} data-node-id={r.node_id}>
                      <td>
                        <a href={href(`/nodes/${r.node_id}`)}>{r.node_title || `#${r.node_id}`}</a>
                      </td>
                      <th scope="row" class="current-point">
                        <a href={href(`/points/${r.point_id}`)}>{r.point_title || `#${r.point_id}`}</a>{' '}
                        <span class="muted">({resourceLabel(r.resource)})</span>
                      </th>
                      <td class={'current-time' + (fresh ? ' changed' : '')} key={'time' + (fresh?.at ?? '')}>
                        {r.time ? formatDateTime(r.time, zoneFor(info.data, r.node_id, r.time)) : t('never read')}
                        {r.stale && <span class="stale-mark"> · {t('stale')}</span>}
                      </td>
                      {parameters.map((p) => {
                        const v = values.get(p);
                        const lightUp = fresh?.parameters.has(p);
                        return (
                          <td
                            key={p + (lightUp ? fresh?.at : '')}
                            class={'num' + (lightUp ? ' changed' : '') + (v?.flags.includes('bad') ? ' bad' : '')}
                            data-parameter={p}
                          >
                            {v ? `${formatNumber(v.value)} ${unitLabel(v.unit)}`.trim() : ''}
                            {v?.flags.includes('bad') && <span class="stale-mark"> ({t('invalid')})</span>}
                          </td>
                        );
                      })}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
    </Page>
  );
}
