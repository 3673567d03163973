// SPDX-License-Identifier: LGPL-2.1-or-later
// The mnemonic diagram editor (#/diagrams/:id/edit, #/diagrams/new), for
// operators and admins: title and owner, an uploaded SVG (the server
// sanitises it and answers what it stored) or a blank canvas, elements
// placed by clicking with a tool, dragged, moved with the arrow keys,
// edited in a properties panel; the server's field errors shown there.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, get, getAll, patch, post } from '../api';
import {
  DiagramCanvas,
  ElementShape,
  toDrawing,
  type CurrentItem,
  type Diagram,
  type DiagramElement,
  type ElementKind,
} from '../components/diagram-draw';
import { Field } from '../components/field';
import { ErrorMessage, Loading, Page } from '../components/page';
import { language, t } from '../i18n';
import { useLanguage, useLoad } from '../hooks';
import type { PageProps } from '../routes';
import { href, navigate } from '../router';
import { isStaff, useUser } from '../session';
import { loadOwners, type Named } from './diagrams';

interface PointItem {
  id: number;
  title: string;
  node_id: number;
}
type Tool = 'select' | ElementKind;
interface Draft {
  title: string;
  owner: string; // 'n:ID', 'g:ID' or ''
  width: number;
  height: number;
  svg: string | null;
  elements: DiagramElement[];
}

const TOOLS: Tool[] = ['select', 'label', 'rect', 'circle', 'line', 'text'];
function toolText(tool: Tool): string {
  switch (tool) {
    case 'select':
      return t('Select');
    case 'label':
      return t('Value label');
    case 'rect':
      return t('Rectangle');
    case 'circle':
      return t('Circle');
    case 'line':
      return t('Line');
    case 'text':
      return t('Text');
  }
}

function fromDiagram(d: Diagram): Draft {
  return {
    title: d.title,
    owner: d.node_id !== null ? `n:${d.node_id}` : d.group_id !== null ? `g:${d.group_id}` : '',
    width: d.width,
    height: d.height,
    svg: d.svg,
    elements: d.elements,
  };
}

/** The drawing's size as the server reads it: width/height, else viewBox.
 * Read from the text of the root tag: the file is not parsed into a
 * document (an untrusted drawing's handlers would meet the page's policy). */
function svgSize(text: string): { width: number; height: number } | null {
  const tag = /<svg\b([^>]*)>/i.exec(text.replace(/<!--[\s\S]*?-->/g, ''));
  if (!tag) return null;
  const attr = (name: string) => {
    const m = new RegExp(`\\s${name}\\s*=\\s*("([^"]*)"|'([^']*)')`).exec(tag[1]);
    return m ? (m[2] ?? m[3]) : null;
  };
  const num = (v: string | null) => {
    const m = v ? /^\s*([0-9.]+)\s*(px)?\s*$/.exec(v) : null;
    return m ? Math.round(parseFloat(m[1])) : NaN;
  };
  let w = num(attr('width'));
  let h = num(attr('height'));
  const vb = (attr('viewBox') ?? '').trim().split(/[\s,]+/).map(Number);
  if (!(w > 0) && vb.length === 4) w = Math.round(vb[2]);
  if (!(h > 0) && vb.length === 4) h = Math.round(vb[3]);
  const clamp = (v: number, d: number) => (v > 0 ? Math.min(10000, Math.max(1, v)) : d);
  return { width: clamp(w, 800), height: clamp(h, 600) };
}

let serial = 0;
function newId(kind: string, taken: DiagramElement[]): string {
  let id: string;
  do id = `${kind}-${Date.now().toString(36)}-${(serial++).toString(36)}`;
  while (taken.some((e) => e.id === id));
  return id;
}

export default function DiagramEditor(props: PageProps) {
  useLanguage();
  const user = useUser();
  const id = props.params.id ?? 'new'; // #/diagrams/new has no id
  const isNew = id === 'new';
  const loaded = useLoad(
    (s) =>
      isNew
        ? Promise.resolve<Diagram>({
            id: 0,
            title: '',
            node_id: props.query.get('node') ? Number(props.query.get('node')) : null,
            group_id: null,
            width: 800,
            height: 600,
            updated_at: '',
            updated_by: null,
            svg: null,
            elements: [],
          })
        : get<Diagram>(`/diagrams/${encodeURIComponent(id)}`, s),
    [id],
  );
  const owners = useLoad((s) => loadOwners(s, isStaff(user)), [user?.id]);
  const points = useLoad((s) => getAll<PointItem>('/points', 10000, s), []);
  if (!loaded.data || !owners.data || !points.data) {
    const error = loaded.error ?? owners.error ?? points.error;
    return <Page title={t('Mnemonic diagram editor')}>{error ? <ErrorMessage error={error} /> : <Loading />}</Page>;
  }
  return (
    <EditorForm
      key={id}
      diagram={loaded.data}
      isNew={isNew}
      nodes={owners.data.nodes}
      groups={owners.data.groups}
      points={points.data}
      saved={props.query.get('saved') === '1'}
    />
  );
}

function EditorForm(props: {
  diagram: Diagram;
  isNew: boolean;
  nodes: Named[];
  groups: Named[];
  points: PointItem[];
  saved?: boolean;
}) {
  const [saved, setSaved] = useState<Draft>(() => fromDiagram(props.diagram));
  const [draft, setDraft] = useState<Draft>(saved);
  const [diagramId, setDiagramId] = useState<number | null>(props.isNew ? null : props.diagram.id);
  const [tool, setTool] = useState<Tool>('select');
  const [selected, setSelected] = useState<string | null>(null);
  const [errors, setErrors] = useState<{ field: string; message: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const [notice, setNotice] = useState<string | null>(props.saved ? t('Saved.') : null);
  const svgRef = useRef<SVGSVGElement | null>(null);
  const drag = useRef<{ id: string; dx: number; dy: number; pointer: number } | null>(null);
  const lang = language();
  const dirty = JSON.stringify(draft) !== JSON.stringify(saved);

  // unsaved changes: the browser asks before leaving the page, the router's
  // hash change asks too
  useEffect(() => {
    if (!dirty) return;
    const before = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', before);
    return () => window.removeEventListener('beforeunload', before);
  }, [dirty]);

  const set = (patchDraft: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...patchDraft }));
    setNotice(null);
  };
  const setElement = (elId: string, change: Partial<DiagramElement>) =>
    setDraft((d) => ({ ...d, elements: d.elements.map((e) => (e.id === elId ? { ...e, ...change } : e)) }));
  const removeElement = (elId: string) => {
    setDraft((d) => ({ ...d, elements: d.elements.filter((e) => e.id !== elId) }));
    setSelected(null);
  };
  const sel = draft.elements.find((e) => e.id === selected) ?? null;
  const selIndex = sel ? draft.elements.indexOf(sel) : -1;

  const fieldError = (name: string) => (errors && errors.field === name ? errors.message : null);
  const elError = (member: string) => (errors && errors.field === `elements[${selIndex}].${member}` ? errors.message : null);

  const place = (x: number, y: number, kind: ElementKind) => {
    const firstPoint = props.points[0];
    const el: DiagramElement = { id: newId(kind, draft.elements), kind, x, y };
    if (kind === 'rect') Object.assign(el, { w: 120, h: 60 });
    if (kind === 'circle') Object.assign(el, { w: 30 });
    if (kind === 'line') Object.assign(el, { w: 120, h: 0 });
    if (kind === 'text') Object.assign(el, { text: t('Text'), style: { font_size: 16 } });
    if (kind === 'label') Object.assign(el, { point_id: firstPoint?.id, parameter: '', digits: 1, style: { font_size: 16 } });
    setDraft((d) => ({ ...d, elements: [...d.elements, el] }));
    setSelected(el.id);
    setTool('select');
  };

  const onPointerDown = (e: PointerEvent) => {
    const svg = svgRef.current;
    if (!svg) return;
    const p = toDrawing(svg, e.clientX, e.clientY);
    if (tool !== 'select') {
      place(p.x, p.y, tool);
      e.preventDefault();
      return;
    }
    const target = (e.target as Element).closest('[data-id]');
    const elId = target?.getAttribute('data-id') ?? null;
    setSelected(elId);
    if (elId) {
      const el = draft.elements.find((x) => x.id === elId)!;
      drag.current = { id: elId, dx: p.x - el.x, dy: p.y - el.y, pointer: e.pointerId };
      svg.setPointerCapture(e.pointerId);
      e.preventDefault();
    }
    svg.focus();
  };
  const onPointerMove = (e: PointerEvent) => {
    const d = drag.current;
    if (!d || !svgRef.current || e.pointerId !== d.pointer) return;
    const p = toDrawing(svgRef.current, e.clientX, e.clientY);
    setElement(d.id, { x: p.x - d.dx, y: p.y - d.dy });
  };
  const onPointerUp = () => {
    drag.current = null;
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (!sel) return;
    const step = e.shiftKey ? 10 : 1;
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [-step, 0],
      ArrowRight: [step, 0],
      ArrowUp: [0, -step],
      ArrowDown: [0, step],
    };
    if (moves[e.key]) {
      setElement(sel.id, { x: sel.x + moves[e.key][0], y: sel.y + moves[e.key][1] });
      e.preventDefault();
    } else if (e.key === 'Delete' || e.key === 'Backspace') {
      removeElement(sel.id);
      e.preventDefault();
    } else if (e.key === 'Escape') setSelected(null);
  };

  const upload = async (file: File | undefined) => {
    if (!file) return;
    const text = await file.text();
    const size = svgSize(text);
    setErrors(size ? null : { field: 'svg', message: t('This file is not an SVG drawing.') });
    if (size) set({ svg: text, ...size });
  };

  const save = async () => {
    setErrors(null);
    if (!draft.title.trim()) {
      setErrors({ field: 'title', message: t('Give the diagram a title.') });
      return;
    }
    const body: Record<string, unknown> = {
      title: draft.title.trim(),
      width: draft.width,
      height: draft.height,
      elements: draft.elements,
    };
    if (draft.owner.startsWith('n:')) body.node_id = Number(draft.owner.slice(2));
    else if (draft.owner.startsWith('g:')) body.group_id = Number(draft.owner.slice(2));
    else if (!props.isNew) Object.assign(body, { node_id: null, group_id: null });
    if (props.isNew || draft.svg !== saved.svg) body.svg = draft.svg;
    setSaving(true);
    try {
      const d = diagramId === null ? await post<Diagram>('/diagrams', body) : await patch<Diagram>(`/diagrams/${diagramId}`, body);
      const next = fromDiagram(d);
      setSaved(next);
      setDraft(next);
      setNotice(t('Saved.'));
      if (diagramId === null) {
        setDiagramId(d.id);
        navigate(`/diagrams/${d.id}/edit?saved=1`, true);
      }
    } catch (e) {
      if (e instanceof ApiError) {
        const field = e.field ?? '';
        setErrors({ field: field || 'form', message: e.message });
        const m = /^elements\[(\d+)\]/.exec(field);
        if (m && draft.elements[Number(m[1])]) setSelected(draft.elements[Number(m[1])].id);
        else if (field === 'elements' || !field || !['title', 'svg', 'width', 'height', 'node_id', 'group_id'].includes(field))
          setErrors({ field: 'form', message: e.message });
      } else setErrors({ field: 'form', message: (e as Error).message });
    } finally {
      setSaving(false);
    }
  };

  return (
    <Page
      title={props.isNew && diagramId === null ? t('New diagram') : t('Editing: {title}', { title: saved.title })}
      actions={
        <>
          {diagramId !== null && (
            <a class="button" href={href(`/diagrams/${diagramId}`)} onClick={(e) => dirty && !confirm(t('Leave without saving the changes?')) && e.preventDefault()}>
              {t('Open the diagram')}
            </a>
          )}
          <button type="button" class="primary" disabled={saving} onClick={save}>
            {saving ? t('Saving…') : t('Save')}
          </button>
        </>
      }
    >
      {dirty && (
        <p class="diagram-dirty" role="status">
          {t('There are unsaved changes.')}
        </p>
      )}
      {notice && !dirty && (
        <p class="diagram-saved" role="status">
          {notice}
        </p>
      )}
      {errors?.field === 'form' && (
        <p class="error" role="alert">
          {errors.message}
        </p>
      )}
      <div class="diagram-editor">
        <div class="diagram-settings">
          <Field id="d-title" label={t('Title')} error={fieldError('title')}>
            <input id="d-title" value={draft.title} maxLength={200} onInput={(e) => set({ title: (e.target as HTMLInputElement).value })} />
          </Field>
          <Field id="d-owner" label={t('Belongs to')} error={fieldError('node_id') ?? fieldError('group_id')}>
            <select id="d-owner" value={draft.owner} onChange={(e) => set({ owner: (e.target as HTMLSelectElement).value })}>
              <option value="">{t('the whole system')}</option>
              <optgroup label={t('Nodes')}>
                {props.nodes.map((n) => (
                  <option key={n.id} value={`n:${n.id}`}>
                    {n.title}
                  </option>
                ))}
              </optgroup>
              {props.groups.length > 0 && (
                <optgroup label={t('Groups')}>
                  {props.groups.map((g) => (
                    <option key={g.id} value={`g:${g.id}`}>
                      {g.title}
                    </option>
                  ))}
                </optgroup>
              )}
            </select>
          </Field>
          <Field id="d-svg" label={t('Drawing (SVG file)')} error={fieldError('svg')} hint={draft.svg ? t('A drawing is loaded.') : t('Blank canvas.')}>
            <input id="d-svg" type="file" accept=".svg,image/svg+xml" onChange={(e) => upload((e.target as HTMLInputElement).files?.[0])} />
          </Field>
          {draft.svg && (
            <button type="button" onClick={() => set({ svg: null })}>
              {t('Remove the drawing (blank canvas)')}
            </button>
          )}
          <div class="diagram-size">
            <Field id="d-width" label={t('Width')} error={fieldError('width')}>
              <input id="d-width" type="number" min={1} max={10000} value={draft.width}
                onChange={(e) => set({ width: Math.max(1, Math.min(10000, Number((e.target as HTMLInputElement).value) || 1)) })} />
            </Field>
            <Field id="d-height" label={t('Height')} error={fieldError('height')}>
              <input id="d-height" type="number" min={1} max={10000} value={draft.height}
                onChange={(e) => set({ height: Math.max(1, Math.min(10000, Number((e.target as HTMLInputElement).value) || 1)) })} />
            </Field>
          </div>
        </div>
        <div class="diagram-tools" role="toolbar" aria-label={t('Tools')}>
          {TOOLS.map((tl) => (
            <button key={tl} type="button" class={'tool-' + tl} aria-pressed={tool === tl} onClick={() => setTool(tl)}>
              {toolText(tl)}
            </button>
          ))}
        </div>
        <p class="hint">
          {tool === 'select'
            ? t('Click an element to select it, drag it to move it; arrows move it, Delete removes it.')
            : t('Click on the drawing to place the element.')}
        </p>
        <DiagramCanvas
          width={draft.width}
          height={draft.height}
          svg={draft.svg}
          svgRef={svgRef}
          label={t('Drawing: the selected element moves with the arrow keys')}
          overlayProps={{
            tabindex: 0,
            class: 'diagram-overlay editing' + (tool !== 'select' ? ' placing' : ''),
            onPointerDown,
            onPointerMove,
            onPointerUp,
            onPointerCancel: onPointerUp,
            onKeyDown,
          }}
        >
          <rect x={0} y={0} width={draft.width} height={draft.height} fill="transparent" />
          {draft.elements.map((el) => (
            <ElementShape key={el.id} el={el} lang={lang} selected={el.id === selected} />
          ))}
        </DiagramCanvas>
        {sel ? (
          <Properties
            key={sel.id}
            el={sel}
            points={props.points}
            error={elError}
            onChange={(c) => setElement(sel.id, c)}
            onDelete={() => removeElement(sel.id)}
          />
        ) : (
          <p class="hint">{t('No element selected.')}</p>
        )}
      </div>
    </Page>
  );
}

function Properties(props: {
  el: DiagramElement;
  points: PointItem[];
  error: (member: string) => string | null;
  onChange: (c: Partial<DiagramElement>) => void;
  onDelete: () => void;
}) {
  const { el } = props;
  const params = useLoad(
    (s) =>
      el.kind === 'label' && el.point_id !== undefined
        ? get<{ items: CurrentItem[] }>(`/current?point=${el.point_id}`, s).then((r) => r.items[0]?.values ?? [])
        : Promise.resolve([]),
    [el.kind, el.point_id],
  );
  const num = (member: 'x' | 'y' | 'w' | 'h', label: string) => (
    <Field id={`p-${member}`} label={label} error={props.error(member)}>
      <input id={`p-${member}`} type="number" value={el[member] ?? 0}
        onChange={(e) => props.onChange({ [member]: Number((e.target as HTMLInputElement).value) || 0 })} />
    </Field>
  );
  const style = (change: Partial<NonNullable<DiagramElement['style']>>) => {
    const s = { ...(el.style ?? {}), ...change };
    for (const k of Object.keys(s) as (keyof typeof s)[]) if (s[k] === '' || s[k] === undefined) delete s[k];
    props.onChange({ style: s });
  };
  return (
    <fieldset class="diagram-properties">
      <legend>{t('Element: {kind}', { kind: toolText(el.kind) })}</legend>
      <div class="diagram-size">
        {num('x', 'X')}
        {num('y', 'Y')}
        {(el.kind === 'rect' || el.kind === 'line') && num('w', el.kind === 'line' ? t('Length X') : t('Width'))}
        {(el.kind === 'rect' || el.kind === 'line') && num('h', el.kind === 'line' ? t('Length Y') : t('Height'))}
        {el.kind === 'circle' && num('w', t('Radius'))}
      </div>
      {el.kind === 'label' && (
        <>
          <Field id="p-point" label={t('Measure point')} error={props.error('point_id')}>
            <select id="p-point" value={el.point_id !== undefined ? String(el.point_id) : ''}
              onChange={(e) => {
                const v = (e.target as HTMLSelectElement).value;
                props.onChange({ point_id: v ? Number(v) : undefined, parameter: '' });
              }}>
              <option value="">{t('(choose)')}</option>
              {props.points.map((p) => (
                <option key={p.id} value={String(p.id)}>
                  {p.title} (#{p.id})
                </option>
              ))}
            </select>
          </Field>
          <Field id="p-parameter" label={t('Parameter')} error={props.error('parameter')}
            hint={params.data && params.data.length === 0 ? t('The point has no current values yet.') : undefined}>
            <select id="p-parameter" value={el.parameter ?? ''}
              onChange={(e) => {
                const name = (e.target as HTMLSelectElement).value;
                props.onChange({ parameter: name });
              }}>
              <option value="">{t('(choose)')}</option>
              {el.parameter && !(params.data ?? []).some((v) => v.parameter === el.parameter) && (
                <option value={el.parameter}>{el.parameter}</option>
              )}
              {(params.data ?? []).map((v) => (
                <option key={v.parameter} value={v.parameter}>
                  {v.parameter}
                </option>
              ))}
            </select>
          </Field>
          <Field id="p-unit" label={t('Unit (empty: as in the archive)')} error={props.error('unit')}>
            <input id="p-unit" value={el.unit ?? ''} maxLength={32}
              onInput={(e) => props.onChange({ unit: (e.target as HTMLInputElement).value || undefined })} />
          </Field>
          <Field id="p-digits" label={t('Decimals')} error={props.error('digits')}>
            <input id="p-digits" type="number" min={0} max={9} value={el.digits ?? ''}
              onChange={(e) => {
                const v = (e.target as HTMLInputElement).value;
                props.onChange({ digits: v === '' ? undefined : Math.max(0, Math.min(9, Number(v))) });
              }} />
          </Field>
        </>
      )}
      {el.kind === 'text' && (
        <Field id="p-text" label={t('Text')} error={props.error('text')}>
          <input id="p-text" value={el.text ?? ''} maxLength={1000} onInput={(e) => props.onChange({ text: (e.target as HTMLInputElement).value })} />
        </Field>
      )}
      <div class="diagram-size">
        <Field id="p-fill" label={t('Fill colour')} error={props.error('style.fill') ?? props.error('style')}>
          <input id="p-fill" value={el.style?.fill ?? ''} placeholder="#rrggbb" maxLength={64}
            onInput={(e) => style({ fill: (e.target as HTMLInputElement).value })} />
        </Field>
        {el.kind !== 'text' && el.kind !== 'label' && (
          <Field id="p-stroke" label={t('Line colour')} error={props.error('style.stroke')}>
            <input id="p-stroke" value={el.style?.stroke ?? ''} placeholder="#rrggbb" maxLength={64}
              onInput={(e) => style({ stroke: (e.target as HTMLInputElement).value })} />
          </Field>
        )}
        {(el.kind === 'text' || el.kind === 'label') && (
          <Field id="p-font" label={t('Font size')} error={props.error('style.font_size')}>
            <input id="p-font" type="number" min={1} max={1000} value={el.style?.font_size ?? 16}
              onChange={(e) => style({ font_size: Number((e.target as HTMLInputElement).value) || undefined })} />
          </Field>
        )}
      </div>
      <button type="button" class="danger" onClick={props.onDelete}>
        {t('Delete element')}
      </button>
    </fieldset>
  );
}
