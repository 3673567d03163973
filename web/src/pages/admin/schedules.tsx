// SPDX-License-Identifier: LGPL-2.1-or-later
// Polling schedules: per point and archive kind, "every N minutes at
// minute M" (GET/PUT /points/{id}/schedule), or the default. The area
// lists the points; the editor is also under a point's form.
import { useMemo, useState } from 'preact/hooks';
import { ApiError, get, put } from '../../api';
import { ErrorMessage, Loading } from '../../components/page';
import { formatDateTime } from '../../format';
import { useLoad } from '../../hooks';
import { t } from '../../i18n';
import { href } from '../../router';
import { canOperate } from '../../session';
import type { LersNode, Point, Territory } from './lookups';
import { byId, loadNodes, loadPoints, loadTerritories, nodeTitle, nodeZone, resourceLabels } from './lookups';
import { matches } from './resource';

export interface Schedule {
  kind: string;
  enabled: boolean;
  every_minutes: number;
  at_minutes: number;
  default: boolean;
  next: string | null;
}

export const kindLabels = (): Record<string, string> => ({
  current: t('current values'),
  hour: t('hour archive'),
  day: t('day archive'),
  month: t('month archive'),
  totals: t('totals'),
  'power-profile': t('power profile'),
  events: t('events'),
});

interface Draft {
  enabled: boolean;
  every: string;
  at: string;
}

/** The server's rule (lers_poll_queue_set_schedule_sync): a message, or null. */
export function scheduleError(every: string, at: string): { every?: string; at?: string } {
  const e = /^\d+$/.test(every.trim()) ? Number(every) : Number.NaN;
  const a = /^\d+$/.test(at.trim()) ? Number(at) : Number.NaN;
  if (Number.isNaN(e) || e > 44640) return { every: t('A whole number of minutes from 0 to 44640.') };
  if (e !== 0 && e <= 1440 && 1440 % e !== 0) return { every: t('Must divide a day (1440 minutes): 5, 10, 15, 30, 60, 120, 1440…') };
  if (e > 1440 && e % 1440 !== 0) return { every: t('More than a day: a whole number of days (2880, 4320…).') };
  if (Number.isNaN(a)) return { at: t('A whole number of minutes.') };
  if (e === 0 ? a >= 44640 : a >= e) return { at: t('Less than the interval ({n}).', { n: e === 0 ? 44640 : e }) };
  return {};
}

export function ScheduleEditor(props: { pointId: number; zone?: string; readOnly: boolean }) {
  const data = useLoad((signal) => get<Schedule[]>(`/points/${props.pointId}/schedule`, signal), [props.pointId]);
  const [saved, setSaved] = useState<Schedule[] | null>(null);
  const [drafts, setDrafts] = useState<Record<string, Draft>>({});
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const rows = saved ?? data.data ?? [];
  const kinds = kindLabels();
  const draftOf = (s: Schedule): Draft =>
    drafts[s.kind] ?? { enabled: s.enabled, every: String(s.every_minutes), at: String(s.at_minutes) };
  const errors = useMemo(() => {
    const out: Record<string, { every?: string; at?: string }> = {};
    for (const s of rows) if (drafts[s.kind]) out[s.kind] = scheduleError(drafts[s.kind].every, drafts[s.kind].at);
    return out;
  }, [rows, drafts]);
  const [showErrors, setShowErrors] = useState(false);

  const send = async (body: unknown[]) => {
    setBusy(true);
    setMessage(null);
    try {
      const answer = await put<Schedule[]>(`/points/${props.pointId}/schedule`, body);
      setSaved(answer);
      setDrafts({});
      setShowErrors(false);
      setMessage({ ok: true, text: t('The schedule is saved.') });
    } catch (e) {
      setMessage({ ok: false, text: e instanceof ApiError && e.status === 403 ? t('You have no rights for this.') : (e as Error).message });
    } finally {
      setBusy(false);
    }
  };
  const save = (e: Event) => {
    e.preventDefault();
    const changed = rows.filter((s) => drafts[s.kind]);
    if (changed.some((s) => Object.keys(errors[s.kind] ?? {}).length > 0)) {
      setShowErrors(true);
      setMessage({ ok: false, text: t('Correct the marked values.') });
      return;
    }
    if (changed.length === 0) return;
    send(
      changed.map((s) => {
        const d = drafts[s.kind];
        return { kind: s.kind, enabled: d.enabled, every_minutes: Number(d.every), at_minutes: Number(d.at) };
      }),
    );
  };
  const edit = (s: Schedule, change: Partial<Draft>) => setDrafts({ ...drafts, [s.kind]: { ...draftOf(s), ...change } });

  return (
    <section class="admin-section" aria-labelledby={`schedule-${props.pointId}`}>
      <h3 id={`schedule-${props.pointId}`}>{t('Polling schedule')}</h3>
      {data.error && <ErrorMessage error={data.error} />}
      {data.loading && !data.data && <Loading />}
      {rows.length > 0 && (
        <form onSubmit={save} noValidate>
          <div class="table-wrap">
            <table class="schedule">
              <thead>
                <tr>
                  <th scope="col">{t('Archive')}</th>
                  <th scope="col">{t('Polled')}</th>
                  <th scope="col">{t('Every, minutes')}</th>
                  <th scope="col">{t('At minute')}</th>
                  <th scope="col">{t('Setting')}</th>
                  <th scope="col">{t('Next read')}</th>
                  {!props.readOnly && <th scope="col">{t('Actions')}</th>}
                </tr>
              </thead>
              <tbody>
                {rows.map((s) => {
                  const d = draftOf(s);
                  const err = showErrors ? (errors[s.kind] ?? {}) : {};
                  const id = `sched-${props.pointId}-${s.kind}`;
                  const kind = kinds[s.kind] ?? s.kind;
                  return (
                    <tr key={s.kind}>
                      <th scope="row">{kind}</th>
                      <td>
                        <input
                          type="checkbox"
                          id={`${id}-enabled`}
                          aria-label={t('{kind}: polled', { kind })}
                          checked={d.enabled}
                          disabled={props.readOnly || busy}
                          onChange={(e) => edit(s, { enabled: e.currentTarget.checked })}
                        />
                      </td>
                      <td>
                        <input
                          class="short"
                          type="text"
                          inputMode="numeric"
                          aria-label={t('{kind}: every, minutes', { kind })}
                          aria-invalid={err.every ? true : undefined}
                          aria-describedby={err.every ? `${id}-every-error` : undefined}
                          value={d.every}
                          disabled={props.readOnly || busy}
                          onInput={(e) => edit(s, { every: e.currentTarget.value })}
                        />
                        {err.every && (
                          <small class="field-error" id={`${id}-every-error`} role="alert">
                            {err.every}
                          </small>
                        )}
                      </td>
                      <td>
                        <input
                          class="short"
                          type="text"
                          inputMode="numeric"
                          aria-label={t('{kind}: at minute', { kind })}
                          aria-invalid={err.at ? true : undefined}
                          aria-describedby={err.at ? `${id}-at-error` : undefined}
                          value={d.at}
                          disabled={props.readOnly || busy}
                          onInput={(e) => edit(s, { at: e.currentTarget.value })}
                        />
                        {err.at && (
                          <small class="field-error" id={`${id}-at-error`} role="alert">
                            {err.at}
                          </small>
                        )}
                      </td>
                      <td>{s.default ? t('default') : t('own')}</td>
                      <td>{s.next ? formatDateTime(s.next, props.zone) : '—'}</td>
                      {!props.readOnly && (
                        <td>
                          {!s.default && (
                            <button type="button" disabled={busy} onClick={() => send([{ kind: s.kind, default: true }])}>
                              {t('Back to default')}
                            </button>
                          )}
                        </td>
                      )}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <div class="form-buttons">
            {!props.readOnly && (
              <button type="submit" class="primary" disabled={busy}>
                {t('Save the schedule')}
              </button>
            )}
            {message && (
              <span class={message.ok ? 'success' : 'error'} role={message.ok ? 'status' : 'alert'}>
                {message.text}
              </span>
            )}
          </div>
        </form>
      )}
    </section>
  );
}

interface Ctx {
  points: Point[];
  nodes: LersNode[];
  territories: Territory[];
}

export function SchedulesArea(props: { id?: string }) {
  const [filter, setFilter] = useState('');
  const data = useLoad<Ctx>(async (signal) => {
    const [points, nodes, territories] = await Promise.all([loadPoints(signal), loadNodes(signal), loadTerritories(signal)]);
    return { points, nodes, territories };
  }, []);
  if (data.error) return <ErrorMessage error={data.error} />;
  if (!data.data) return <Loading />;
  const nodes = byId(data.data.nodes);
  const resources = resourceLabels();
  if (props.id !== undefined) {
    const point = data.data.points.find((p) => String(p.id) === props.id);
    if (!point) return <ErrorMessage error={new ApiError(404, 'not-found', '')} />;
    const node = point.node_id !== null ? nodes.get(point.node_id) : undefined;
    return (
      <div class="admin-edit">
        <p>
          <a href={href('/admin/schedules')}>{t('Back to the list')}</a>
        </p>
        <h2>
          {point.title || `#${point.id}`}
          {node ? ` — ${nodeTitle(node)}` : ''}
        </h2>
        <ScheduleEditor pointId={point.id} zone={nodeZone(node, byId(data.data.territories))} readOnly={!canOperate()} />
      </div>
    );
  }
  const rows = data.data.points.filter((p) =>
    matches(p, [p.title, p.node_id !== null ? nodes.get(p.node_id)?.title : null, resources[p.resource]], filter.trim()),
  );
  return (
    <div class="admin-list">
      <div class="toolbar">
        <div class="field">
          <label for="schedules-filter">{t('Find')}</label>
          <input id="schedules-filter" type="search" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
        </div>
      </div>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('Measure point')}</th>
              <th scope="col">{t('Metering object')}</th>
              <th scope="col">{t('Resource')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((p) => (
              <tr key={p.id}>
                <th scope="row">
                  <a href={href(`/admin/schedules/${p.id}`)}>{p.title || `#${p.id}`}</a>
                </th>
                <td>{p.node_id !== null ? (nodes.get(p.node_id)?.title ?? `#${p.node_id}`) : '—'}</td>
                <td>{resources[p.resource] ?? p.resource}</td>
              </tr>
            ))}
            {rows.length === 0 && (
              <tr>
                <td colSpan={3}>{t('Nothing found.')}</td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}
