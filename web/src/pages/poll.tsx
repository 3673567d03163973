// SPDX-License-Identifier: LGPL-2.1-or-later
// Опрос: the polling services, their links, the job queue, and manual
// reads ("read now" for any points). Refreshed every few seconds while open.
import { useState } from 'preact/hooks';
import { ApiError, get, getAll, post } from '../api';
import { Field } from '../components/field';
import { ErrorMessage, Loading, Page } from '../components/page';
import { formatDateTime, formatNumber } from '../format';
import { useInterval, useLoad } from '../hooks';
import { t } from '../i18n';
import type { PageProps } from '../routes';
import { setQuery } from '../router';
import { canOperate, isAdmin } from '../session';

interface Status {
  services: number;
  services_running: number;
  services_pending: number;
  ports_total: number;
  ports_busy: number;
  ports_free: number;
  links_total: number;
  links_active: number;
  links_blocked: number;
  jobs_queued: number;
  jobs_due: number;
  jobs_running: number;
  jobs_done_24h: number;
  jobs_failed_24h: number;
  oldest_due_seconds: number | null;
}
interface Service {
  id: number;
  name: string;
  state: string;
  authorised: boolean;
  host: string | null;
  version: string | null;
  max_links: number;
  heartbeat: string | null;
  jobs_done: number;
  jobs_failed: number;
}
interface Link {
  connection_id: number;
  kind: string;
  address: string;
  state: string;
  service: string | null;
  failures: number;
  last_error: string | null;
  queued: number;
}
export interface Job {
  id: number;
  point_id: number;
  kind: string;
  state: string;
  progress: number;
  message: string | null;
  records: number;
  error: string | null;
  requested_by: string | null;
  created: string;
  finished: string | null;
  cancel_requested: boolean;
}
interface PointItem {
  id: number;
  title: string | null;
  node_id: number;
}

const KINDS = ['hour', 'day', 'month', 'current', 'totals', 'events'];

export function kindLabel(kind: string): string {
  const labels: Record<string, string> = {
    hour: t('hourly'),
    day: t('daily'),
    month: t('monthly'),
    current: t('current'),
    totals: t('totals'),
    events: t('meter events'),
    'power-profile': t('power profile'),
  };
  return labels[kind] ?? kind;
}

export function jobStateLabel(state: string): string {
  const labels: Record<string, string> = {
    queued: t('queued'),
    running: t('running'),
    done: t('done'),
    failed: t('failed'),
    cancelled: t('cancelled'),
  };
  return labels[state] ?? state;
}

function serviceStateLabel(state: string): string {
  const labels: Record<string, string> = {
    running: t('running'),
    pending: t('awaiting authorisation'),
    stopped: t('stopped'),
    dead: t('not responding'),
  };
  return labels[state] ?? state;
}

function linkStateLabel(state: string): string {
  const labels: Record<string, string> = { active: t('active'), blocked: t('blocked'), free: t('free') };
  return labels[state] ?? state;
}

function ReadNow(props: { points: PointItem[]; onQueued: () => void }) {
  const [chosen, setChosen] = useState<number[]>([]);
  const [kinds, setKinds] = useState<string[]>(['hour']);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [error, setError] = useState<Record<string, string>>({});
  const [note, setNote] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (chosen.length === 0) errs.points = t('Choose at least one point.');
    if (kinds.length === 0) errs.kinds = t('Choose at least one archive.');
    if (from && to && from >= to) errs.to = t('The end must be after the start.');
    setError(errs);
    setNote(null);
    if (Object.keys(errs).length) return;
    try {
      const r = await post<{ jobs: Job[] }>('/poll/jobs', {
        points: chosen,
        kinds,
        from: from || undefined,
        to: to || undefined,
      });
      setNote(t('Jobs queued: {n}.', { n: r.jobs.length }));
      props.onQueued();
    } catch (err) {
      const field = err instanceof ApiError && err.field ? err.field : 'form';
      setError({ [field]: (err as Error).message });
    }
  };
  return (
    <form class="form read-now" onSubmit={submit} noValidate aria-labelledby="read-now-title">
      <h2 id="read-now-title">{t('Read now')}</h2>
      <Field id="read-points" label={t('Measure points')} error={error.points}>
        <select
          id="read-points"
          multiple
          size={Math.min(6, Math.max(2, props.points.length))}
          onChange={(e) =>
            setChosen(Array.from((e.target as HTMLSelectElement).selectedOptions, (o) => Number(o.value)))
          }
        >
          {props.points.map((p) => (
            <option key={p.id} value={p.id} selected={chosen.includes(p.id)}>
              {p.title ?? `#${p.id}`}
            </option>
          ))}
        </select>
      </Field>
      <fieldset class="kinds">
        <legend>{t('Archives')}</legend>
        {KINDS.map((k) => (
          <label key={k} class="check">
            <input
              type="checkbox"
              checked={kinds.includes(k)}
              onChange={(e) =>
                setKinds((e.target as HTMLInputElement).checked ? [...kinds, k] : kinds.filter((x) => x !== k))
              }
            />
            {kindLabel(k)}
          </label>
        ))}
        {error.kinds && (
          <small class="field-error" role="alert">
            {error.kinds}
          </small>
        )}
      </fieldset>
      <div class="toolbar">
        <Field id="read-from" label={t('From (node time)')} error={error.from}>
          <input id="read-from" type="datetime-local" value={from} onInput={(e) => setFrom((e.target as HTMLInputElement).value)} />
        </Field>
        <Field id="read-to" label={t('To (node time)')} error={error.to}>
          <input id="read-to" type="datetime-local" value={to} onInput={(e) => setTo((e.target as HTMLInputElement).value)} />
        </Field>
      </div>
      {error.form && (
        <p class="error" role="alert">
          {error.form}
        </p>
      )}
      {note && (
        <p class="success" role="status">
          {note}
        </p>
      )}
      <button type="submit" class="primary">
        {t('Queue the reads')}
      </button>
    </form>
  );
}

export default function Poll(props: PageProps) {
  const stateFilter = props.query.get('state') ?? '';
  const status = useLoad((s) => get<Status>('/poll/status', s), []);
  const services = useLoad((s) => get<Service[]>('/poll/services', s), []);
  const links = useLoad((s) => get<Link[]>('/poll/links', s), []);
  const jobs = useLoad(
    (s) => get<{ jobs: Job[] }>(`/poll/jobs?limit=50${stateFilter ? '&state=' + stateFilter : ''}`, s),
    [stateFilter],
  );
  const points = useLoad((s) => getAll<PointItem>('/points', 10000, s), []);
  const [actionError, setActionError] = useState<Error | null>(null);
  const refresh = () => {
    status.reload();
    services.reload();
    links.reload();
    jobs.reload();
  };
  useInterval(refresh, 3000);
  const titles = new Map((points.data ?? []).map((p) => [p.id, p.title ?? `#${p.id}`]));
  const act = (f: () => Promise<unknown>) =>
    f()
      .then(() => {
        setActionError(null);
        refresh();
      })
      .catch(setActionError);

  const st = status.data;
  return (
    <Page title={t('Polling')}>
      {status.error && <ErrorMessage error={status.error} />}
      {actionError && <ErrorMessage error={actionError} />}
      {st && (
        <dl class="poll-summary">
          <div>
            <dt>{t('Polling services')}</dt>
            <dd>{t('{running} of {n} running', { running: st.services_running, n: st.services })}</dd>
          </div>
          <div>
            <dt>{t('Ports')}</dt>
            <dd>{t('{busy} busy, {free} free', { busy: st.ports_busy, free: st.ports_free })}</dd>
          </div>
          <div>
            <dt>{t('Links')}</dt>
            <dd>
              {t('{active} active, {blocked} blocked, {total} in all', {
                active: st.links_active,
                blocked: st.links_blocked,
                total: st.links_total,
              })}
            </dd>
          </div>
          <div>
            <dt>{t('Jobs')}</dt>
            <dd>
              {t('{queued} queued, {running} running; in 24 h {done} done, {failed} failed', {
                queued: st.jobs_queued,
                running: st.jobs_running,
                done: st.jobs_done_24h,
                failed: st.jobs_failed_24h,
              })}
            </dd>
          </div>
        </dl>
      )}

      {canOperate() && points.data && <ReadNow points={points.data} onQueued={jobs.reload} />}

      <h2>{t('Job queue')}</h2>
      <div class="toolbar">
        <Field id="job-state" label={t('State')}>
          <select id="job-state" value={stateFilter} onChange={(e) => setQuery({ state: (e.target as HTMLSelectElement).value })}>
            <option value="">{t('all')}</option>
            {['queued', 'running', 'done', 'failed', 'cancelled'].map((s) => (
              <option key={s} value={s}>
                {jobStateLabel(s)}
              </option>
            ))}
          </select>
        </Field>
      </div>
      {jobs.error && <ErrorMessage error={jobs.error} />}
      {!jobs.data && !jobs.error && <Loading />}
      {jobs.data && (
        <div class="table-wrap">
          <table class="jobs">
            <thead>
              <tr>
                <th scope="col">№</th>
                <th scope="col">{t('Measure point')}</th>
                <th scope="col">{t('Archive')}</th>
                <th scope="col">{t('State')}</th>
                <th scope="col">{t('Progress')}</th>
                <th scope="col" class="num">
                  {t('Records')}
                </th>
                <th scope="col">{t('Requested by')}</th>
                <th scope="col">{t('Queued at')}</th>
                <th scope="col">
                  <span class="visually-hidden">{t('Actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {jobs.data.jobs.map((j) => (
                <tr key={j.id} class={'job-' + j.state}>
                  <td>{j.id}</td>
                  <td>
                    <a href={`#/points/${j.point_id}`}>{titles.get(j.point_id) ?? `#${j.point_id}`}</a>
                  </td>
                  <td>{kindLabel(j.kind)}</td>
                  <td title={j.error ?? undefined}>
                    {jobStateLabel(j.state)}
                    {j.error ? ': ' + j.error : ''}
                  </td>
                  <td>
                    <progress max={1} value={j.progress} aria-label={t('Progress')} /> {j.message ?? ''}
                  </td>
                  <td class="num">{formatNumber(j.records)}</td>
                  <td>{j.requested_by ?? t('schedule')}</td>
                  <td>{formatDateTime(j.created)}</td>
                  <td>
                    {canOperate() && (j.state === 'queued' || j.state === 'running') && !j.cancel_requested && (
                      <button type="button" onClick={() => act(() => post(`/poll/jobs/${j.id}/cancel`))}>
                        {t('Cancel')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2>{t('Polling services')}</h2>
      {services.data && (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('Name')}</th>
                <th scope="col">{t('State')}</th>
                <th scope="col">{t('Host')}</th>
                <th scope="col">{t('Version')}</th>
                <th scope="col" class="num">
                  {t('Ports')}
                </th>
                <th scope="col">{t('Last heartbeat')}</th>
                <th scope="col" class="num">
                  {t('Jobs done')}
                </th>
                <th scope="col" class="num">
                  {t('Jobs failed')}
                </th>
                <th scope="col">
                  <span class="visually-hidden">{t('Actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {services.data.map((s) => (
                <tr key={s.id}>
                  <td>{s.name}</td>
                  <td>{serviceStateLabel(s.state)}</td>
                  <td>{s.host ?? '—'}</td>
                  <td>{s.version ?? '—'}</td>
                  <td class="num">{s.max_links}</td>
                  <td>{formatDateTime(s.heartbeat, undefined, true)}</td>
                  <td class="num">{formatNumber(s.jobs_done)}</td>
                  <td class="num">{formatNumber(s.jobs_failed)}</td>
                  <td>
                    {isAdmin() && (
                      <button
                        type="button"
                        onClick={() =>
                          act(() =>
                            post(`/poll/services/${encodeURIComponent(s.name)}/authorise`, { authorised: !s.authorised }),
                          )
                        }
                      >
                        {s.authorised ? t('Revoke') : t('Authorise')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2>{t('Links')}</h2>
      {links.data && (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('Address')}</th>
                <th scope="col">{t('Kind')}</th>
                <th scope="col">{t('State')}</th>
                <th scope="col">{t('Service')}</th>
                <th scope="col" class="num">
                  {t('Queued')}
                </th>
                <th scope="col" class="num">
                  {t('Failures')}
                </th>
                <th scope="col">{t('Last error')}</th>
              </tr>
            </thead>
            <tbody>
              {links.data.map((l) => (
                <tr key={l.connection_id}>
                  <td>{l.address}</td>
                  <td>{l.kind}</td>
                  <td>{linkStateLabel(l.state)}</td>
                  <td>{l.service ?? '—'}</td>
                  <td class="num">{l.queued}</td>
                  <td class="num">{l.failures}</td>
                  <td>{l.last_error ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}
