// SPDX-License-Identifier: LGPL-2.1-or-later
// Отчёты (#/reports?template=ID): choose a template (system or own), the
// points or a node group, the period (the template's own by default), the
// archive kind, language and format; "Preview" shows page 1 as an image,
// "Download" renders the file for one point, and for several points or a
// group "Make the register" starts a job (progress, cancel) whose result
// is one zip with a file a point (docs/web-reports.md).
import { useEffect, useRef, useState } from 'preact/hooks';
import { getAll } from '../api';
import { Field } from '../components/field';
import { ErrorMessage, Loading, Page } from '../components/page';
import { PeriodPicker, type Period } from '../components/period-picker';
import { useLanguage, useLoad } from '../hooks';
import { language, t } from '../i18n';
import type { PageProps } from '../routes';
import { href, setQuery } from '../router';
import { canOperate, isStaff, useUser } from '../session';
import {
  FORMATS,
  cancelJob,
  getTemplate,
  jobResult,
  jobState,
  kindsOf,
  listTemplates,
  render,
  saveBlob,
  startJob,
  type Format,
  type Job,
  type RenderRequest,
  type TemplateItem,
} from './reports/api';
import { apiTime, defaultPeriod, formatText, jobStateText, kindText, ReportErrorView, useObjectUrl } from './reports/common';
import { parameters } from './reports/template-text';

interface Named {
  id: number;
  title: string | null;
}
interface PointItem extends Named {
  node_id: number;
}

async function loadObjects(signal: AbortSignal, staff: boolean) {
  const [points, nodes, groups] = await Promise.all([
    getAll<PointItem>('/points', 10000, signal),
    getAll<Named>('/nodes', 10000, signal),
    staff ? getAll<Named>('/groups', 10000, signal).catch(() => [] as Named[]) : Promise.resolve([] as Named[]),
  ]);
  const nodeTitle = new Map(nodes.map((n) => [n.id, n.title ?? `#${n.id}`]));
  return {
    points: points.map((p) => ({ id: p.id, label: `${p.title ?? '#' + p.id} — ${nodeTitle.get(p.node_id) ?? ''}` })),
    groups,
  };
}

const FINISHED = new Set(['done', 'failed', 'cancelled']);

function JobView(props: { job: Job; onCancel: () => void; onDownload: () => void; busy: boolean }) {
  const j = props.job;
  const error = typeof j.error === 'string' ? j.error : (j.error?.message ?? null);
  return (
    <section class="report-job" aria-labelledby="report-job-title">
      <h2 id="report-job-title">{t('Document register')}</h2>
      <p role="status" class="report-job-state">
        {t('{state}: {done} of {total} documents', { state: jobStateText(j.state), done: j.done, total: j.total })}
      </p>
      <progress max={Math.max(1, j.total)} value={j.done} aria-label={t('Progress')} />
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="toolbar">
        {!FINISHED.has(j.state) && (
          <button type="button" onClick={props.onCancel}>
            {t('Cancel')}
          </button>
        )}
        {j.state === 'done' && (
          <button type="button" class="primary" onClick={props.onDownload} disabled={props.busy}>
            {t('Download the archive (zip)')}
          </button>
        )}
      </div>
    </section>
  );
}

export default function Reports(props: PageProps) {
  useLanguage();
  const user = useUser();
  const templates = useLoad((s) => listTemplates(s), [language()]);
  const objects = useLoad((s) => loadObjects(s, isStaff(user)), [user?.id]);
  const chosenId = props.query.get('template') ?? '';
  const chosen: TemplateItem | undefined =
    templates.data?.find((x) => String(x.id) === chosenId && x.valid !== false) ?? templates.data?.find((x) => x.valid !== false);
  const detail = useLoad((s) => (chosen ? getTemplate(chosen.id, s) : Promise.resolve(null)), [chosen?.id]);
  const params = detail.data ? parameters(detail.data.body) : null;
  const kinds = params && params.kinds.length > 0 ? params.kinds : kindsOf(chosen).length ? kindsOf(chosen) : ['day'];

  const [mode, setMode] = useState<'points' | 'group'>('points');
  const [points, setPoints] = useState<number[]>([]);
  const [group, setGroup] = useState<string>('');
  const [period, setPeriod] = useState<Period>(() => defaultPeriod('month'));
  const [kind, setKind] = useState<string>('day');
  const [lang, setLang] = useState<string>(language());
  const [format, setFormat] = useState<Format>('pdf');
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [preview, setPreview] = useState<Blob | null>(null);
  const previewUrl = useObjectUrl(preview);
  const [job, setJob] = useState<Job | null>(null);
  const poll = useRef<number | null>(null);

  /* a template brings its period and archive kind */
  useEffect(() => {
    if (!detail.data) return;
    const p = parameters(detail.data.body);
    setPeriod(defaultPeriod(p.period));
    setKind(p.defaultKind && (p.kinds.length === 0 || p.kinds.includes(p.defaultKind)) ? p.defaultKind : (p.kinds[0] ?? 'day'));
    setPreview(null);
  }, [detail.data]);
  useEffect(() => () => void (poll.current !== null && window.clearTimeout(poll.current)), []);

  const several = mode === 'group' || points.length > 1;
  const request = (fmt: Format, onlyFirst = false): RenderRequest | null => {
    const errs: Record<string, string> = {};
    if (!chosen) errs.template = t('Choose a template.');
    if (mode === 'points' && points.length === 0) errs.points = t('Choose at least one point.');
    if (mode === 'group' && !group) errs.group = t('Choose a group.');
    setFieldErrors(errs);
    if (Object.keys(errs).length > 0 || !chosen) return null;
    const r: RenderRequest = { template: chosen.id, from: apiTime(period.from), to: apiTime(period.to), kind, format: fmt, language: lang };
    if (mode === 'group' && !onlyFirst) r.group = Number(group);
    else r.points = onlyFirst ? [points[0]] : points;
    return r;
  };

  const run = async (what: string, work: () => Promise<void>) => {
    setBusy(what);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(null);
    }
  };

  const doPreview = () => {
    if (mode === 'group') {
      setFieldErrors({ points: t('The preview shows one point: choose it in the list of points.') });
      return;
    }
    const r = request('png', true);
    if (r) run('preview', async () => setPreview((await render(r)).blob));
  };
  const doDownload = () => {
    const r = request(format);
    if (!r) return;
    run('download', async () => {
      const f = await render(r);
      saveBlob(f.blob, f.name ?? `${chosen?.id ?? 'report'}-${r.points?.[0] ?? ''}.${format}`);
    });
  };
  const follow = (id: string | number) => {
    poll.current = window.setTimeout(async () => {
      try {
        const j = await jobState(id);
        setJob(j);
        if (!FINISHED.has(j.state)) follow(id);
      } catch (e) {
        setError(e as Error);
      }
    }, 1000);
  };
  const doRegister = () => {
    const r = request(format);
    if (!r) return;
    run('register', async () => {
      if (poll.current !== null) window.clearTimeout(poll.current);
      const j = await startJob(r);
      setJob(j);
      if (!FINISHED.has(j.state)) follow(j.id);
    });
  };
  const doCancel = () =>
    job &&
    run('cancel', async () => {
      const j = await cancelJob(job.id);
      if (j && typeof j === 'object' && 'state' in j) setJob(j);
    });
  const doResult = () =>
    job &&
    run('result', async () => {
      const f = await jobResult(job.id);
      saveBlob(f.blob, f.name ?? `${chosen?.id ?? 'reports'}-${period.from.slice(0, 7)}.zip`);
    });

  return (
    <Page
      title={t('Reports')}
      actions={
        canOperate(user) && (
          <a class="button" href={href('/report-templates')}>
            {t('Template editor')}
          </a>
        )
      }
    >
      {templates.error && <ErrorMessage error={templates.error} />}
      {objects.error && <ErrorMessage error={objects.error} />}
      {(!templates.data || !objects.data) && !templates.error && !objects.error && <Loading />}
      {templates.data && objects.data && (
        <div class="reports-layout">
          <div class="reports-form">
            <fieldset class="report-templates">
              <legend>{t('Template')}</legend>
              {templates.data.length === 0 && <p class="empty">{t('No templates yet.')}</p>}
              <ul>
                {templates.data.map((x) => (
                  <li key={String(x.id)}>
                    <label class="check">
                      <input
                        type="radio"
                        name="report-template"
                        value={String(x.id)}
                        checked={chosen?.id === x.id}
                        disabled={x.valid === false}
                        onChange={() => setQuery({ template: String(x.id) })}
                      />
                      <span class="template-title">{x.title}</span>
                      <span class={'template-mark ' + (x.system ? 'system' : 'own')}>
                        {x.system ? t('system template') : t('own template')}
                      </span>
                      {x.valid === false && <span class="field-error"> {t('has errors: fix it in the editor')}</span>}
                    </label>
                  </li>
                ))}
              </ul>
              {fieldErrors.template && (
                <small class="field-error" role="alert">
                  {fieldErrors.template}
                </small>
              )}
            </fieldset>
            {detail.error && <ReportErrorView error={detail.error} />}

            <fieldset class="report-objects">
              <legend>{t('Objects')}</legend>
              <label class="check">
                <input type="radio" name="report-mode" checked={mode === 'points'} onChange={() => setMode('points')} />
                {t('By measure points')}
              </label>
              {objects.data.groups.length > 0 && (
                <label class="check">
                  <input type="radio" name="report-mode" checked={mode === 'group'} onChange={() => setMode('group')} />
                  {t('By node group')}
                </label>
              )}
              {mode === 'points' ? (
                <Field id="report-points" label={t('Measure points')} error={fieldErrors.points}>
                  <select
                    id="report-points"
                    multiple
                    size={Math.min(8, Math.max(3, objects.data.points.length))}
                    onChange={(e) => setPoints(Array.from((e.currentTarget as HTMLSelectElement).selectedOptions, (o) => Number(o.value)))}
                  >
                    {objects.data.points.map((p) => (
                      <option key={p.id} value={String(p.id)} selected={points.includes(p.id)}>
                        {p.label}
                      </option>
                    ))}
                  </select>
                </Field>
              ) : (
                <Field id="report-group" label={t('Node group')} error={fieldErrors.group}>
                  <select id="report-group" value={group} onChange={(e) => setGroup((e.currentTarget as HTMLSelectElement).value)}>
                    <option value="">{t('(choose)')}</option>
                    {objects.data.groups.map((g) => (
                      <option key={g.id} value={String(g.id)}>
                        {g.title ?? `#${g.id}`}
                      </option>
                    ))}
                  </select>
                </Field>
              )}
            </fieldset>

            <PeriodPicker value={period} zone={undefined} onChange={setPeriod} />

            <div class="toolbar report-options">
              <Field id="report-kind" label={t('Archive')}>
                <select id="report-kind" value={kind} onChange={(e) => setKind((e.currentTarget as HTMLSelectElement).value)}>
                  {kinds.map((k) => (
                    <option key={k} value={k}>
                      {kindText(k)}
                    </option>
                  ))}
                </select>
              </Field>
              <Field id="report-language" label={t('Language')}>
                <select id="report-language" value={lang} onChange={(e) => setLang((e.currentTarget as HTMLSelectElement).value)}>
                  <option value="ru">Русский</option>
                  <option value="en">English</option>
                </select>
              </Field>
              <Field id="report-format" label={t('Format')}>
                <select id="report-format" value={format} onChange={(e) => setFormat((e.currentTarget as HTMLSelectElement).value as Format)}>
                  {FORMATS.map((f) => (
                    <option key={f} value={f}>
                      {formatText(f)}
                    </option>
                  ))}
                </select>
              </Field>
            </div>

            <div class="toolbar">
              <button type="button" onClick={doPreview} disabled={busy !== null}>
                {t('Preview')}
              </button>
              {several ? (
                <button type="button" class="primary" onClick={doRegister} disabled={busy !== null}>
                  {t('Make the document register')}
                </button>
              ) : (
                <button type="button" class="primary" onClick={doDownload} disabled={busy !== null}>
                  {t('Download')}
                </button>
              )}
              {busy && (
                <span class="loading" role="status">
                  {busy === 'preview' ? t('Rendering the preview…') : t('Working…')}
                </span>
              )}
            </div>
            {error && <ReportErrorView error={error} />}
            {job && <JobView job={job} busy={busy !== null} onCancel={doCancel} onDownload={doResult} />}
          </div>
          <div class="report-preview">
            {previewUrl ? (
              <img class="report-preview-image" src={previewUrl} alt={t('Page 1 of the report')} />
            ) : (
              <p class="hint">{t('Press “Preview” to see page 1 here.')}</p>
            )}
          </div>
        </div>
      )}
    </Page>
  );
}
