// SPDX-License-Identifier: LGPL-2.1-or-later
// The report template editor (#/report-templates, #/report-templates/:id),
// for operators and administrators: the XML text with line numbers, the
// field list of the table's rows (a click inserts {Field} at the cursor),
// the bands outline (parsed in the browser), the selected element's
// properties, "Check" (the server's errors with line and column; a click
// goes there), a live preview of page 1 on a chosen point, Save with the
// version read (a stale one: "changed by someone else"), the versions.
// System templates are read only; "Copy" stores an editable copy. "Delete"
// (after a question) removes an own template with its versions.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { getAll } from '../api';
import { Field } from '../components/field';
import { ConfirmButton } from '../components/form-confirm';
import { ErrorMessage, Loading, Page } from '../components/page';
import { formatDateTime } from '../format';
import { useLanguage, useLoad } from '../hooks';
import { language, t } from '../i18n';
import type { PageProps } from '../routes';
import { href, navigate } from '../router';
import { canOperate } from '../session';
import {
  checkTemplate,
  createTemplate,
  deleteTemplate,
  getTemplate,
  render,
  reportFields,
  ReportError,
  saveTemplate,
  templateVersions,
  type RowsKind,
  type Template,
  type TemplateProblem,
} from './reports/api';
import { CodeEditor, goTo, insertAtCursor, selectRange } from './reports/code-editor';
import { apiTime, defaultPeriod, ProblemList, ReportErrorView, useObjectUrl } from './reports/common';
import { FieldList, Outline, Properties } from './reports/editor-panels';
import { TemplateList } from './reports/template-list';
import { outline, parameters, parseTemplate, rowsAt, setAttribute } from './reports/template-text';

interface PointItem {
  id: number;
  title: string | null;
}

/** The text of a copy of @body: its own id and a title marked as a copy. */
export function copyBody(body: string, attempt: number): string {
  const p = parseTemplate(body);
  const rootIndex = p.elements.findIndex((e) => e.localName === 'report');
  if (rootIndex < 0) return body;
  const root = p.elements[rootIndex];
  const id = (root.getAttribute('id') ?? 'report').replace(/-copy(-\d+)?$/, '');
  let text = setAttribute(body, p.tags[rootIndex], 'id', `${id}-copy${attempt > 1 ? '-' + attempt : ''}`);
  const q = parseTemplate(text);
  const titleIndex = q.elements.findIndex((e) => e.localName === 'title' && e.parentElement === q.doc?.documentElement);
  if (titleIndex >= 0) {
    const title = q.elements[titleIndex];
    const ru = title.getAttribute('ru');
    const en = title.getAttribute('en');
    if (en !== null) text = setAttribute(text, q.tags[titleIndex], 'en', `${en} (copy)`);
    const r = parseTemplate(text);
    if (ru !== null) text = setAttribute(text, r.tags[titleIndex], 'ru', `${ru} (копия)`);
  }
  return text;
}

function Editor(props: { id: string }) {
  const loaded = useLoad((s) => getTemplate(props.id, s), [props.id]);
  if (loaded.error) return <ErrorMessage error={loaded.error} />;
  if (!loaded.data) return <Loading />;
  return <EditorView key={`${loaded.data.id}/${loaded.data.version}`} template={loaded.data} reload={loaded.reload} />;
}

function EditorView(props: { template: Template; reload: () => void }) {
  const tpl = props.template;
  const readOnly = tpl.system;
  const textarea = useRef<HTMLTextAreaElement>(null);
  const [text, setText] = useState(tpl.body);
  const [version, setVersion] = useState(tpl.version);
  const [savedBody, setSavedBody] = useState(tpl.body);
  const [cursor, setCursor] = useState(0);
  const [selected, setSelected] = useState(-1);
  const [problems, setProblems] = useState<TemplateProblem[] | null>(null);
  const [checkNote, setCheckNote] = useState<string | null>(null);
  const [saveNote, setSaveNote] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const parsed = useMemo(() => parseTemplate(text), [text]);
  const bands = useMemo(() => outline(parsed), [parsed]);
  const rows = rowsAt(parsed, cursor) as RowsKind;
  const fields = useLoad((s) => reportFields(rows, s), [rows]);
  const versions = useLoad((s) => templateVersions(tpl.id, s), [tpl.id, version]);
  const dirty = text !== savedBody;

  /* the live preview: page 1 of the current text on a chosen point */
  const points = useLoad((s) => getAll<PointItem>('/points', 10000, s), []);
  const [point, setPoint] = useState('');
  const [preview, setPreview] = useState<Blob | null>(null);
  const [previewError, setPreviewError] = useState<Error | null>(null);
  const [previewBusy, setPreviewBusy] = useState(false);
  const previewUrl = useObjectUrl(preview);
  useEffect(() => {
    if (!point || parsed.error) return;
    const ctl = new AbortController();
    const timer = window.setTimeout(async () => {
      const p = parameters(text);
      const period = defaultPeriod(p.period);
      setPreviewBusy(true);
      try {
        const f = await render(
          {
            body: text,
            points: [Number(point)],
            from: apiTime(period.from),
            to: apiTime(period.to),
            kind: p.defaultKind ?? p.kinds[0] ?? 'day',
            format: 'png',
            language: language(),
          },
          ctl.signal,
        );
        setPreview(f.blob);
        setPreviewError(null);
      } catch (e) {
        if ((e as Error).name !== 'AbortError') setPreviewError(e as Error);
      } finally {
        if (!ctl.signal.aborted) setPreviewBusy(false);
      }
    }, 700);
    return () => {
      window.clearTimeout(timer);
      ctl.abort();
    };
  }, [text, point, parsed.error]);

  const edit = (next: string) => {
    setText(next);
    setSaveNote(null);
  };
  const go = (line: number, column: number) => {
    if (textarea.current) {
      goTo(textarea.current, line, column);
      setCursor(textarea.current.selectionStart);
    }
  };
  const select = (index: number) => {
    setSelected(index);
    const tag = parsed.tags[index];
    if (tag && textarea.current) {
      selectRange(textarea.current, tag.start, tag.end);
      setCursor(tag.start);
    }
  };
  const insertField = (name: string) => {
    const r = insertAtCursor(textarea.current, text, `{${name}}`);
    edit(r.text);
    requestAnimationFrame(() => {
      if (textarea.current) selectRange(textarea.current, r.cursor, r.cursor);
      setCursor(r.cursor);
    });
  };
  const changeAttribute = (name: string, value: string | null) => {
    const tag = parsed.tags[selected];
    if (!tag) return;
    edit(setAttribute(text, tag, name, value));
  };
  const check = async () => {
    setError(null);
    setCheckNote(null);
    try {
      const r = await checkTemplate(text);
      setProblems(r.errors ?? []);
      if (r.ok && (r.errors ?? []).length === 0) setCheckNote(t('No errors found.'));
    } catch (e) {
      if (e instanceof ReportError && e.problems.length > 0) setProblems(e.problems);
      else setError(e as Error);
    }
  };
  const save = async () => {
    setError(null);
    setSaveNote(null);
    setConflict(false);
    setBusy(true);
    try {
      const r = await saveTemplate(tpl.id, text, version);
      setVersion(r.version);
      setSavedBody(text);
      setProblems(null);
      setSaveNote(t('Saved: version {version}.', { version: r.version ?? '' }));
    } catch (e) {
      if (e instanceof ReportError && e.status === 409) setConflict(true);
      else if (e instanceof ReportError && e.problems.length > 0) setProblems(e.problems);
      else setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  const copy = async () => {
    setError(null);
    setBusy(true);
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          const r = await createTemplate(copyBody(tpl.body, attempt));
          navigate(`/report-templates/${encodeURIComponent(String(r.id))}`);
          return;
        } catch (e) {
          if (!(e instanceof ReportError && e.status === 409) || attempt >= 5) throw e;
        }
      }
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    await deleteTemplate(tpl.id);
    navigate('/report-templates');
  };

  return (
    <Page
      title={t('Template: {title}', { title: tpl.title })}
      actions={
        <>
          <a class="button" href={href('/report-templates')}>
            {t('All templates')}
          </a>
          <button type="button" onClick={check}>
            {t('Check')}
          </button>
          {readOnly ? (
            <button type="button" class="primary" onClick={copy} disabled={busy}>
              {t('Copy')}
            </button>
          ) : (
            <button type="button" class="primary" onClick={save} disabled={busy || !dirty}>
              {t('Save')}
            </button>
          )}
          {!readOnly && canOperate() && (
            <ConfirmButton
              label={t('Delete')}
              question={t('Delete the template «{title}» with all its versions? This cannot be undone.', { title: tpl.title })}
              onConfirm={remove}
              disabled={busy}
            />
          )}
        </>
      }
    >
      <p class="template-status">
        <span class={'template-mark ' + (readOnly ? 'system' : 'own')}>{readOnly ? t('system template') : t('own template')}</span>{' '}
        {version !== null && version !== undefined && t('Version {version}', { version })}
        {readOnly && <span class="hint"> {t('A system template is read only: copy it to change it.')}</span>}
        {dirty && <span class="template-dirty"> {t('Unsaved changes')}</span>}
      </p>
      {conflict && (
        <p class="error" role="alert">
          {t('The template was changed by someone else. Reload it to see their version (your changes will be lost).')}{' '}
          <button type="button" onClick={props.reload}>
            {t('Reload')}
          </button>
        </p>
      )}
      {saveNote && (
        <p class="success" role="status">
          {saveNote}
        </p>
      )}
      {error && <ReportErrorView error={error} onGo={go} />}
      {checkNote && (
        <p class="success" role="status">
          {checkNote}
        </p>
      )}
      {problems && problems.length > 0 && <ProblemList problems={problems} onGo={go} />}
      <div class="template-editor">
        <div class="editor-side">
          <Outline items={bands} parseError={parsed.error} selected={selected} onSelect={select} />
          <Properties element={parsed.elements[selected] ?? null} readOnly={readOnly} onChange={changeAttribute} />
        </div>
        <div class="editor-main">
          <label for="template-text" class="editor-label">
            {t('Template text (XML)')}
          </label>
          <CodeEditor id="template-text" value={text} readOnly={readOnly} textarea={textarea} onInput={edit} onCursor={setCursor} />
        </div>
        <FieldList rows={rows} fields={fields.data} error={fields.error} disabled={readOnly} onInsert={insertField} />
      </div>
      <section class="template-preview" aria-labelledby="template-preview-title">
        <h2 id="template-preview-title">{t('Preview')}</h2>
        <Field id="preview-point" label={t('Measure point')}>
          <select id="preview-point" value={point} onChange={(e) => setPoint((e.currentTarget as HTMLSelectElement).value)}>
            <option value="">{t('(choose)')}</option>
            {(points.data ?? []).map((p) => (
              <option key={p.id} value={String(p.id)}>
                {p.title ?? `#${p.id}`}
              </option>
            ))}
          </select>
        </Field>
        {previewBusy && (
          <p class="loading" role="status">
            {t('Rendering the preview…')}
          </p>
        )}
        {previewError && <ReportErrorView error={previewError} onGo={go} />}
        {previewUrl && <img class="report-preview-image" src={previewUrl} alt={t('Page 1 of the report')} />}
      </section>
      <section class="template-versions" aria-labelledby="template-versions-title">
        <h2 id="template-versions-title">{t('Versions')}</h2>
        {versions.error && <ErrorMessage error={versions.error} />}
        {versions.data && (
          <ul>
            {versions.data.map((v) => (
              <li key={v.version}>
                {t('Version {version}', { version: v.version })} — {formatDateTime(v.created_at)}
                {v.created_by ? ` — ${v.created_by}` : ''}
              </li>
            ))}
          </ul>
        )}
      </section>
    </Page>
  );
}

export default function ReportEditor(props: PageProps) {
  useLanguage();
  if (!props.params.id) return <TemplateList />;
  return <Editor id={props.params.id} />;
}
