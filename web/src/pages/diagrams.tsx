// SPDX-License-Identifier: LGPL-2.1-or-later
// The mnemonic diagrams (#/diagrams?node=ID): title, the node or group each
// belongs to, who saved it last and when; operators and admins start a new
// one here.
import { getAll } from '../api';
import { Field } from '../components/field';
import { ErrorMessage, Loading, Page } from '../components/page';
import { formatDateTime } from '../format';
import { t } from '../i18n';
import { useLanguage, useLoad } from '../hooks';
import type { PageProps } from '../routes';
import { href, setQuery } from '../router';
import { canOperate, isStaff, useUser } from '../session';

export interface DiagramItem {
  id: number;
  title: string;
  node_id: number | null;
  group_id: number | null;
  width: number;
  height: number;
  updated_at: string;
  updated_by: string | null;
  has_svg: boolean;
  n_elements: number;
}
export interface Named {
  id: number;
  title: string;
}

/** The nodes and (for staff) the groups the caller sees, by id. */
export async function loadOwners(signal: AbortSignal, staff: boolean) {
  const [nodes, groups] = await Promise.all([
    getAll<Named>('/nodes', 10000, signal),
    staff ? getAll<Named>('/groups', 10000, signal).catch(() => [] as Named[]) : Promise.resolve([] as Named[]),
  ]);
  return { nodes, groups };
}

export default function DiagramsPage(props: PageProps) {
  useLanguage();
  const user = useUser();
  const node = props.query.get('node') ?? '';
  const owners = useLoad((s) => loadOwners(s, isStaff(user)), [user?.id]);
  const list = useLoad(
    (s) => getAll<DiagramItem>(`/diagrams${node ? '?node_id=' + encodeURIComponent(node) : ''}`, 10000, s),
    [node],
  );
  const nodeTitle = new Map((owners.data?.nodes ?? []).map((n) => [n.id, n.title]));
  const groupTitle = new Map((owners.data?.groups ?? []).map((g) => [g.id, g.title]));
  const owner = (d: DiagramItem) =>
    d.node_id !== null
      ? nodeTitle.get(d.node_id) ?? t('node {id}', { id: d.node_id })
      : d.group_id !== null
        ? t('group «{title}»', { title: groupTitle.get(d.group_id) ?? String(d.group_id) })
        : t('the whole system');
  return (
    <Page
      title={t('Mnemonic diagrams')}
      actions={
        canOperate(user) && (
          <a class="button primary" href={href('/diagrams/new' + (node ? '?node=' + node : ''))}>
            {t('New diagram')}
          </a>
        )
      }
    >
      <form class="filters diagrams-filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <Field id="diagrams-node" label={t('Node')}>
          <select id="diagrams-node" value={node} onChange={(e) => setQuery({ node: (e.target as HTMLSelectElement).value || null })}>
            <option value="">{t('All nodes')}</option>
            {(owners.data?.nodes ?? []).map((n) => (
              <option key={n.id} value={String(n.id)}>
                {n.title}
              </option>
            ))}
          </select>
        </Field>
      </form>
      {list.error && <ErrorMessage error={list.error} />}
      {(!list.data || (!owners.data && !owners.error)) && !list.error && <Loading />}
      {list.data && list.data.length === 0 && <p class="empty">{t('No diagrams yet.')}</p>}
      {/* rows once the owners' names are known (no "node 1" flashing first) */}
      {list.data && list.data.length > 0 && (owners.data || owners.error) && (
        <div class="table-wrap">
          <table class="diagrams-table">
            <thead>
              <tr>
                <th scope="col">{t('Title')}</th>
                <th scope="col">{t('Belongs to')}</th>
                <th scope="col">{t('Updated')}</th>
                <th scope="col">{t('By')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((d) => (
                <tr key={d.id} class={`diagram-row diagram-${d.id}`}>
                  <th scope="row">
                    <a href={href(`/diagrams/${d.id}`)}>{d.title}</a>
                  </th>
                  <td>{owner(d)}</td>
                  <td>{formatDateTime(d.updated_at)}</td>
                  <td>{d.updated_by ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}
