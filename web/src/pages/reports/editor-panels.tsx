// SPDX-License-Identifier: LGPL-2.1-or-later
// The template editor's side panels: the field list ("Список полей") of
// the rows the cursor's table reads, the bands outline, and the selected
// element's properties (its attributes; a change rewrites the text).
import { useEffect, useState } from 'preact/hooks';
import { t } from '../../i18n';
import type { OutlineItem } from './template-text';
import { describe } from './template-text';

export function FieldList(props: {
  rows: string;
  fields: string[] | undefined;
  error: Error | undefined;
  disabled: boolean;
  onInsert: (field: string) => void;
}) {
  const [filter, setFilter] = useState('');
  const shown = (props.fields ?? []).filter((f) => f.toLowerCase().includes(filter.toLowerCase()));
  return (
    <section class="editor-panel field-list" aria-labelledby="field-list-title">
      <h2 id="field-list-title">{t('Field list')}</h2>
      <p class="hint">{t('Rows: {rows}. Click a field to insert it at the cursor.', { rows: props.rows })}</p>
      <label class="visually-hidden" for="field-filter">
        {t('Find a field')}
      </label>
      <input
        id="field-filter"
        type="search"
        placeholder={t('Find a field')}
        value={filter}
        onInput={(e) => setFilter((e.currentTarget as HTMLInputElement).value)}
      />
      {props.error && (
        <p class="error" role="alert">
          {props.error.message}
        </p>
      )}
      <ul class="field-buttons">
        {shown.map((f) => (
          <li key={f}>
            <button type="button" class="field-button" disabled={props.disabled} onClick={() => props.onInsert(f)}>
              {f}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The reader's name of a template element (the XML name otherwise). */
export function elementText(name: string): string {
  const names: Record<string, string> = {
    title: t('Title'),
    parameters: t('Parameters'),
    page: t('Page setup'),
    'report-header': t('Report header'),
    'page-header': t('Page header'),
    'page-footer': t('Page footer'),
    summary: t('Summary'),
    table: t('Table'),
    group: t('Grouping'),
    'group-header': t('Group header'),
    'group-footer': t('Group footer'),
    column: t('Column'),
    highlight: t('Highlight'),
    text: t('Text'),
    chart: t('Chart'),
    image: t('Image'),
    spacer: t('Spacer'),
    'page-break': t('Page break'),
  };
  return names[name] ?? name;
}

function OutlineTree(props: { items: OutlineItem[]; selected: number; onSelect: (index: number) => void }) {
  return (
    <ul>
      {props.items.map((it) => (
        <li key={it.index}>
          <button
            type="button"
            class="outline-item"
            aria-pressed={props.selected === it.index}
            onClick={() => props.onSelect(it.index)}
          >
            {describe(it.element, elementText)}
          </button>
          {it.children.length > 0 && <OutlineTree items={it.children} selected={props.selected} onSelect={props.onSelect} />}
        </li>
      ))}
    </ul>
  );
}

export function Outline(props: { items: OutlineItem[]; parseError: string | null; selected: number; onSelect: (index: number) => void }) {
  return (
    <section class="editor-panel bands-outline" aria-labelledby="outline-title">
      <h2 id="outline-title">{t('Bands')}</h2>
      {props.parseError ? (
        <p class="error">{t('The text is not well-formed XML: {error}', { error: props.parseError.split('\n')[0] })}</p>
      ) : (
        <OutlineTree items={props.items} selected={props.selected} onSelect={props.onSelect} />
      )}
    </section>
  );
}

/** The attributes of @element as inputs; @onChange(name, value) on each
 * edit; a new attribute by name. */
export function Properties(props: { element: Element | null; readOnly: boolean; onChange: (name: string, value: string | null) => void }) {
  const e = props.element;
  const [newName, setNewName] = useState('');
  useEffect(() => setNewName(''), [e]);
  return (
    <section class="editor-panel properties-panel" aria-labelledby="properties-title">
      <h2 id="properties-title">{e ? t('Properties: {element}', { element: `${elementText(e.localName)} <${e.localName}>` }) : t('Properties')}</h2>
      {!e && <p class="hint">{t('Select an element in the bands outline.')}</p>}
      {e && (
        <div class="property-list">
          {Array.from(e.attributes).map((a) => (
            <div class="field" key={a.name}>
              <label for={`prop-${a.name}`}>{a.name}</label>
              <input
                id={`prop-${a.name}`}
                value={a.value}
                readOnly={props.readOnly}
                onInput={(ev) => props.onChange(a.name, (ev.currentTarget as HTMLInputElement).value)}
              />
            </div>
          ))}
          {!props.readOnly && (
            <form
              class="toolbar"
              onSubmit={(ev) => {
                ev.preventDefault();
                const n = newName.trim();
                if (/^[A-Za-z_][\w-]*$/.test(n) && !e.hasAttribute(n)) props.onChange(n, '');
                setNewName('');
              }}
            >
              <label class="visually-hidden" for="prop-new">
                {t('New attribute')}
              </label>
              <input id="prop-new" placeholder={t('New attribute')} value={newName} onInput={(ev) => setNewName((ev.currentTarget as HTMLInputElement).value)} />
              <button type="submit">{t('Add')}</button>
            </form>
          )}
        </div>
      )}
    </section>
  );
}
