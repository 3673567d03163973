// SPDX-License-Identifier: LGPL-2.1-or-later
// What every object area of the administration shares: the list (a
// filter box, a table, "Add") at #/admin/AREA and the form at
// #/admin/AREA/ID (#/admin/AREA/new for a new one), saved through the
// generic REST routes (POST, PATCH with the changed members, DELETE after
// a confirmation). Who may not write sees the same form read-only.
import type { JSX } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import type { ApiError } from '../../api';
import { del, get, getAll, patch, post } from '../../api';
import type { Column as TableColumn } from '../../components/data-table';
import { DataTable, ROW_HEIGHT } from '../../components/data-table';
import { Field } from '../../components/field';
import type { FieldSpec, FormValues } from '../../components/form';
import { Form } from '../../components/form';
import { ConfirmButton } from '../../components/form-confirm';
import { ErrorMessage, Loading } from '../../components/page';
import { useLoad } from '../../hooks';
import { t } from '../../i18n';
import { href, navigate } from '../../router';
import type { User } from '../../session';
import { currentUser } from '../../session';

export interface Column<T> {
  /** Stable (kept in the user's table settings); default "c" + its index. */
  id?: string;
  title: string;
  value: (row: T) => string | number | null | undefined;
  num?: boolean;
}

export interface Row {
  id: number;
  [member: string]: unknown;
}

export interface ResourceSpec<T extends Row, C> {
  area: string;
  /** The collection: "/territories". */
  path: string;
  /** The list's order (?order=). */
  order?: string;
  /** The list's accessible name ("Territories"). */
  title: string;
  /** "New territory" */
  newTitle: string;
  /** What a row is called in headings and questions. */
  name: (row: T) => string;
  columns: (ctx: C) => Column<T>[];
  /** What the form needs besides the row (the territories to choose from…). */
  context: (signal: AbortSignal) => Promise<C>;
  fields: (ctx: C, row: T | null) => FieldSpec[];
  canWrite: (u: User | null) => boolean;
  /** Changes the body before it is sent (e.g. the users' password). */
  prepare?: (body: Record<string, unknown>, row: T | null, values: FormValues) => Record<string, unknown>;
  /** Sections under the form of an existing row (scopes, members, schedule). */
  after?: (row: T, ctx: C, readOnly: boolean) => JSX.Element | null;
  errorField?: (e: ApiError) => string | undefined;
  /** Writes the changed members (default PATCH path/id). */
  update?: (row: T, body: Record<string, unknown>) => Promise<T>;
}

/** A list of objects a user may not read (403) is empty: the form offers nothing from it. */
export async function optional<T>(p: Promise<T[]>): Promise<T[]> {
  try {
    return await p;
  } catch {
    return [];
  }
}

export function ResourceArea<T extends Row, C>(props: { spec: ResourceSpec<T, C>; id?: string; query: URLSearchParams }) {
  if (props.id === undefined) return <ResourceList spec={props.spec} />;
  return <ResourceEdit spec={props.spec} id={props.id} query={props.query} />;
}

export function matches(row: Record<string, unknown>, cells: (string | number | null | undefined)[], filter: string) {
  if (!filter) return true;
  const needle = filter.toLocaleLowerCase();
  return cells.some((c) => c !== null && c !== undefined && String(c).toLocaleLowerCase().includes(needle)) || String(row.id) === filter;
}

function ResourceList<T extends Row, C>(props: { spec: ResourceSpec<T, C> }) {
  const { spec } = props;
  const [filter, setFilter] = useState('');
  const data = useLoad(
    async (signal) => {
      const [rows, ctx] = await Promise.all([
        getAll<T>(spec.path + (spec.order ? `?order=${spec.order}` : ''), 100000, signal),
        spec.context(signal),
      ]);
      return { rows, ctx };
    },
    [spec.path],
  );
  const columns = useMemo<TableColumn<T>[]>(
    () =>
      data.data
        ? spec.columns(data.data.ctx).map((c, i) => ({
            id: c.id ?? `c${i}`,
            title: c.title,
            value: c.value,
            text: (r: T) => {
              const v = c.value(r);
              return v === null || v === undefined || v === '' ? (i === 0 ? `#${r.id}` : '—') : String(v);
            },
            align: c.num ? 'num' : undefined,
          }))
        : [],
    [data.data],
  );
  const filterId = `admin-filter-${spec.area}`;
  return (
    <div class="admin-list">
      <div class="toolbar">
        <Field id={filterId} label={t('Find')}>
          <input id={filterId} type="search" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
        </Field>
        {spec.canWrite(currentUser()) && (
          <a class="button primary" href={href(`/admin/${spec.area}/new`)}>
            {spec.newTitle}
          </a>
        )}
      </div>
      {data.error && <ErrorMessage error={data.error} />}
      {data.loading && !data.data && <Loading />}
      {data.data && (
        <DataTable<T>
          columns={columns}
          rows={data.data.rows}
          rowKey={(r) => r.id}
          rowHref={(r) => `/admin/${spec.area}/${r.id}`}
          filterText={filter.trim()}
          settingsKey={`admin.${spec.area}.table`}
          label={spec.title}
          empty={t('Nothing found.')}
          height={Math.min(560, (data.data.rows.length + 2) * ROW_HEIGHT)}
        />
      )}
    </div>
  );
}

function ResourceEdit<T extends Row, C>(props: { spec: ResourceSpec<T, C>; id: string; query: URLSearchParams }) {
  const { spec } = props;
  const creating = props.id === 'new';
  const data = useLoad(
    async (signal) => {
      const [row, ctx] = await Promise.all([
        creating ? Promise.resolve(null) : get<T>(`${spec.path}/${encodeURIComponent(props.id)}`, signal),
        spec.context(signal),
      ]);
      return { row, ctx };
    },
    [spec.path, props.id],
  );
  const [row, setRow] = useState<T | null | undefined>(undefined);
  const [deleted, setDeleted] = useState(false);
  const current = row !== undefined ? row : data.data?.row;
  const canWrite = spec.canWrite(currentUser());
  const back = (
    <p>
      <a href={href(`/admin/${spec.area}`)}>{t('Back to the list')}</a>
    </p>
  );
  if (data.error) return <>{back}<ErrorMessage error={data.error} /></>;
  if (!data.data) return <Loading />;
  if (deleted)
    return (
      <>
        <p class="success" role="status">
          {t('Deleted.')}
        </p>
        {back}
      </>
    );
  const ctx = data.data.ctx;
  const fields = spec.fields(ctx, current ?? null);
  const submit = async (body: Record<string, unknown>, values: FormValues) => {
    const sent = spec.prepare ? spec.prepare(body, current ?? null, values) : body;
    if (!current) {
      const made = await post<T>(spec.path, sent);
      navigate(`/admin/${spec.area}/${made.id}?created=1`);
      return;
    }
    if (Object.keys(sent).length === 0) return;
    const saved = spec.update ? await spec.update(current, sent) : await patch<T>(`${spec.path}/${current.id}`, sent);
    setRow(saved);
  };
  return (
    <div class="admin-edit">
      {back}
      <h2>{current ? spec.name(current) || `#${current.id}` : spec.newTitle}</h2>
      {props.query.get('created') === '1' && (
        <p class="success" role="status">
          {t('Created.')}
        </p>
      )}
      {!canWrite && <p class="hint read-only-note">{t('Read only: your role may not change this.')}</p>}
      <Form
        fields={fields}
        object={current as Record<string, unknown> | null}
        readOnly={!canWrite}
        submitLabel={current ? t('Save') : t('Create')}
        errorField={spec.errorField}
        label={current ? spec.name(current) : spec.newTitle}
        onSubmit={submit}
        buttons={
          current && canWrite ? (
            <ConfirmButton
              label={t('Delete')}
              question={t('Delete «{name}»? This cannot be undone.', { name: spec.name(current) || `#${current.id}` })}
              onConfirm={async () => {
                await del(`${spec.path}/${current.id}`);
                setDeleted(true);
              }}
            />
          ) : undefined
        }
      />
      {current && spec.after?.(current, ctx, !canWrite)}
    </div>
  );
}
