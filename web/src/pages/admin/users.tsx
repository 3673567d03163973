// SPDX-License-Identifier: LGPL-2.1-or-later
// Users and their rights (administrators only: the API answers others
// 403): role, enabled, the password an administrator sets, and scopes —
// the node groups, territories and single nodes a user is limited to.
import { useState } from 'preact/hooks';
import { del, get, post, put } from '../../api';
import { Field } from '../../components/field';
import { Form } from '../../components/form';
import { ConfirmButton } from '../../components/form-confirm';
import { ErrorMessage, Loading } from '../../components/page';
import { formatDateTime } from '../../format';
import { lastServerInfo } from '../../components/status-bar';
import { useLoad } from '../../hooks';
import { t } from '../../i18n';
import { isAdmin } from '../../session';
import type { LersNode, NodeGroup, Territory } from './lookups';
import { enumOptions, loadGroups, loadNodes, loadTerritories, nodeTitle, options, roleLabels, territoryTitle } from './lookups';
import type { ResourceSpec } from './resource';

export interface UserRow {
  id: number;
  login: string;
  display_name: string | null;
  email: string | null;
  phone: string | null;
  role: string;
  enabled: boolean;
  language: string | null;
  created: string | null;
  password_changed: string | null;
  last_login: string | null;
  [m: string]: unknown;
}

interface Ctx {
  groups: NodeGroup[];
  territories: Territory[];
  nodes: LersNode[];
}

export const MIN_PASSWORD = 8;

export function usersSpec(): ResourceSpec<UserRow, Ctx> {
  return {
    area: 'users',
    path: '/users',
    order: 'login',
    title: t('Users'),
    newTitle: t('New user'),
    name: (u) => u.login,
    columns: () => {
      const roles = roleLabels();
      const zone = lastServerInfo()?.time_zone;
      return [
        { title: t('Login'), value: (r) => r.login },
        { title: t('Name'), value: (r) => r.display_name },
        { title: t('Role'), value: (r) => roles[r.role] ?? r.role },
        { title: t('State'), value: (r) => (r.enabled ? t('enabled') : t('disabled')) },
        { title: t('Last login'), value: (r) => (r.last_login ? formatDateTime(r.last_login, zone) : null) },
      ];
    },
    context: async (signal) => {
      const [groups, territories, nodes] = await Promise.all([loadGroups(signal), loadTerritories(signal), loadNodes(signal)]);
      return { groups, territories, nodes };
    },
    fields: (_ctx, row) => [
      {
        name: 'login',
        label: t('Login'),
        required: true,
        maxLength: 100,
        pattern: /^\S+$/,
        patternMessage: t('No spaces in a login.'),
        autocomplete: 'off',
      },
      { name: 'display_name', label: t('Name'), maxLength: 200 },
      { name: 'role', label: t('Role'), kind: 'select', required: true, options: enumOptions(roleLabels()) },
      { name: 'enabled', label: t('Enabled (may log in)'), kind: 'checkbox', initial: true },
      ...(row
        ? []
        : [
            {
              name: 'password',
              label: t('Password'),
              kind: 'password' as const,
              writeOnly: true,
              minLength: MIN_PASSWORD,
              hint: t('At least {n} characters. Empty: the user works with API tokens only.', { n: MIN_PASSWORD }),
            },
          ]),
      { name: 'email', label: t('E-mail'), kind: 'email', maxLength: 200 },
      { name: 'phone', label: t('Phone'), maxLength: 50 },
      {
        name: 'language',
        label: t('Language'),
        kind: 'select',
        options: [
          { value: 'ru', label: 'Русский' },
          { value: 'en', label: 'English' },
        ],
      },
    ],
    canWrite: isAdmin,
    // the server answers a login in use with 409 and names no member
    errorField: (e) => (e.status === 409 ? 'login' : undefined),
    after: (row, ctx, readOnly) => (
      <>
        {!readOnly && <PasswordForm user={row} />}
        <Scopes user={row} ctx={ctx} readOnly={readOnly} />
      </>
    ),
  };
}

function PasswordForm(props: { user: UserRow }) {
  return (
    <section class="admin-section" aria-labelledby="user-password">
      <h3 id="user-password">{t('Set a password')}</h3>
      <Form
        class="narrow"
        label={t('Set a password')}
        object={null}
        fields={[
          {
            name: 'password',
            label: t('New password'),
            kind: 'password',
            required: true,
            minLength: MIN_PASSWORD,
            hint: t('At least {n} characters. The user\'s sessions end.', { n: MIN_PASSWORD }),
          },
        ]}
        submitLabel={t('Set the password')}
        onSubmit={async (body) => {
          await put(`/users/${props.user.id}/password`, { password: body.password });
        }}
      />
    </section>
  );
}

interface Scope {
  kind: 'group' | 'territory' | 'node';
  id: number;
  title: string | null;
}

function Scopes(props: { user: UserRow; ctx: Ctx; readOnly: boolean }) {
  const data = useLoad((signal) => get<{ items: Scope[] }>(`/users/${props.user.id}/scopes`, signal), [props.user.id]);
  const [items, setItems] = useState<Scope[] | null>(null);
  const [target, setTarget] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const scopes = items ?? data.data?.items ?? [];
  const kinds: Record<string, string> = { group: t('node group'), territory: t('territory'), node: t('metering object') };
  const [kind, setKind] = useState<'group' | 'territory' | 'node'>('group');
  const targets =
    kind === 'group'
      ? options(props.ctx.groups, (g) => g.title)
      : kind === 'territory'
        ? options(props.ctx.territories, territoryTitle)
        : options(props.ctx.nodes, nodeTitle);
  const add = async (e: Event) => {
    e.preventDefault();
    if (target === '') {
      setError(t('Required.'));
      return;
    }
    setBusy(true);
    try {
      const answer = await post<{ items: Scope[] }>(`/users/${props.user.id}/scopes`, { kind, id: Number(target) });
      setItems(answer.items);
      setTarget('');
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const note =
    props.user.role === 'subscriber'
      ? t('A subscriber sees only the nodes its scopes name: none without any.')
      : props.user.role === 'admin'
        ? t('An administrator sees every node: scopes do not limit it.')
        : t('Without scopes this user sees every node; with scopes only the nodes they name.');
  return (
    <section class="admin-section" aria-labelledby="user-scopes">
      <h3 id="user-scopes">{t('Scopes')}</h3>
      <p class="hint">{note}</p>
      {data.error && <ErrorMessage error={data.error} />}
      {data.loading && !data.data && <Loading />}
      {scopes.length === 0 && data.data && <p>{t('No scopes.')}</p>}
      {scopes.length > 0 && (
        <ul class="scopes">
          {scopes.map((s) => (
            <li key={`${s.kind}-${s.id}`}>
              <span>
                {kinds[s.kind] ?? s.kind}: <strong>{s.title ?? `#${s.id}`}</strong>
              </span>
              {!props.readOnly && (
                <ConfirmButton
                  label={t('Remove')}
                  question={t('Remove the scope «{name}»?', { name: s.title ?? `#${s.id}` })}
                  onConfirm={async () => {
                    await del(`/users/${props.user.id}/scopes/${s.kind}/${s.id}`);
                    setItems(scopes.filter((x) => !(x.kind === s.kind && x.id === s.id)));
                  }}
                />
              )}
            </li>
          ))}
        </ul>
      )}
      {!props.readOnly && (
        <form class="form inline-form" aria-label={t('Add a scope')} noValidate onSubmit={add}>
          <Field id="scope-kind" label={t('Scope kind')}>
            <select
              id="scope-kind"
              value={kind}
              onChange={(e) => {
                setKind(e.currentTarget.value as Scope['kind']);
                setTarget('');
                setError(null);
              }}
            >
              {Object.entries(kinds).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </Field>
          <Field id="scope-target" label={t('Scope')} error={error}>
            <select
              id="scope-target"
              value={target}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? 'scope-target-error' : undefined}
              onChange={(e) => {
                setTarget(e.currentTarget.value);
                setError(null);
              }}
            >
              <option value="" disabled>
                {t('Choose…')}
              </option>
              {targets.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </Field>
          <div class="form-buttons">
            <button type="submit" disabled={busy}>
              {t('Add the scope')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
