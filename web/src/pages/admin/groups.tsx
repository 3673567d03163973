// SPDX-License-Identifier: LGPL-2.1-or-later
// Node groups (группы объектов): a title, a comment and the member nodes.
// Renaming a group renames it on every node (the server does it in one
// transaction).
import { useState } from 'preact/hooks';
import { api } from '../../api';
import { Field } from '../../components/field';
import { ConfirmButton } from '../../components/form-confirm';
import { ErrorMessage, Loading } from '../../components/page';
import { useLoad } from '../../hooks';
import { t } from '../../i18n';
import { href } from '../../router';
import { canOperate } from '../../session';
import type { LersNode, NodeGroup } from './lookups';
import { loadNodes, nodeTitle } from './lookups';
import type { ResourceSpec } from './resource';

export function groupsSpec(): ResourceSpec<NodeGroup, { nodes: LersNode[] }> {
  return {
    area: 'groups',
    path: '/groups',
    order: 'title',
    title: t('Node groups'),
    newTitle: t('New node group'),
    name: (g) => g.title,
    columns: (ctx) => [
      { title: t('Title'), value: (r) => r.title },
      { title: t('Comment'), value: (r) => r.comment },
      { title: t('Members'), value: (r) => ctx.nodes.filter((n) => n.groups.includes(r.title)).length, num: true },
    ],
    context: async (signal) => ({ nodes: await loadNodes(signal) }),
    fields: () => [
      { name: 'title', label: t('Title'), required: true, maxLength: 200 },
      { name: 'comment', label: t('Comment'), kind: 'textarea', maxLength: 2000 },
    ],
    canWrite: canOperate,
    after: (row, _ctx, readOnly) => <Members group={row} readOnly={readOnly} />,
  };
}

function Members(props: { group: NodeGroup; readOnly: boolean }) {
  const [tick, setTick] = useState(0);
  const data = useLoad((signal) => loadNodes(signal), [tick]);
  const [chosen, setChosen] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const all = data.data ?? [];
  const members = all.filter((n) => n.groups.includes(props.group.title));
  const others = all.filter((n) => !n.groups.includes(props.group.title));
  const add = async (e: Event) => {
    e.preventDefault();
    if (chosen === '') {
      setError(t('Required.'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api('PUT', `/groups/${props.group.id}/nodes/${chosen}`);
      setChosen('');
      setTick((n) => n + 1);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="admin-section" aria-labelledby="group-members">
      <h3 id="group-members">{t('Members: {n}', { n: members.length })}</h3>
      {data.error && <ErrorMessage error={data.error} />}
      {data.loading && !data.data && <Loading />}
      {data.data && members.length === 0 && <p>{t('No nodes in this group.')}</p>}
      {members.length > 0 && (
        <ul class="scopes">
          {members.map((n) => (
            <li key={n.id}>
              <a href={href(`/admin/nodes/${n.id}`)}>{nodeTitle(n)}</a>
              {n.address && <span class="hint"> {n.address}</span>}
              {!props.readOnly && (
                <ConfirmButton
                  label={t('Remove')}
                  question={t('Remove «{name}» from the group?', { name: nodeTitle(n) })}
                  onConfirm={async () => {
                    await api('DELETE', `/groups/${props.group.id}/nodes/${n.id}`);
                    setTick((x) => x + 1);
                  }}
                />
              )}
            </li>
          ))}
        </ul>
      )}
      {!props.readOnly && data.data && (
        <form class="form inline-form" aria-label={t('Add a node to the group')} noValidate onSubmit={add}>
          <Field id="group-add-node" label={t('Metering object')} error={error}>
            <select
              id="group-add-node"
              value={chosen}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? 'group-add-node-error' : undefined}
              onChange={(e) => {
                setChosen(e.currentTarget.value);
                setError(null);
              }}
            >
              <option value="" disabled>
                {t('Choose…')}
              </option>
              {others.map((n) => (
                <option key={n.id} value={String(n.id)}>
                  {nodeTitle(n)}
                </option>
              ))}
            </select>
          </Field>
          <div class="form-buttons">
            <button type="submit" disabled={busy}>
              {t('Add to the group')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
