// SPDX-License-Identifier: LGPL-2.1-or-later
// A template's XML text as the editor works on it (docs/report-templates.md):
// where each element's start tag is (DOMParser says what the elements are,
// not where), the bands outline, one attribute rewritten in the text, line
// and column to an offset, and the report's parameters (kinds, period).

/** One start tag in the text: [start, end) covers `<name …>` or `<name …/>`. */
export interface Tag {
  name: string;
  start: number;
  end: number;
}

/** The start tags of @text in document order, skipping comments, CDATA,
 * processing instructions, the doctype and end tags. The n-th one is the
 * n-th element of the parsed document (both in document order). */
export function scanTags(text: string): Tag[] {
  const tags: Tag[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const lt = text.indexOf('<', i);
    if (lt < 0) break;
    if (text.startsWith('<!--', lt)) {
      const e = text.indexOf('-->', lt + 4);
      i = e < 0 ? n : e + 3;
      continue;
    }
    if (text.startsWith('<![CDATA[', lt)) {
      const e = text.indexOf(']]>', lt + 9);
      i = e < 0 ? n : e + 3;
      continue;
    }
    if (text.startsWith('<?', lt)) {
      const e = text.indexOf('?>', lt + 2);
      i = e < 0 ? n : e + 2;
      continue;
    }
    const c = text[lt + 1];
    if (c === '!' || c === '/') {
      const e = text.indexOf('>', lt + 1);
      i = e < 0 ? n : e + 1;
      continue;
    }
    const m = /^<([A-Za-z_][\w.:-]*)/.exec(text.slice(lt, lt + 200));
    if (!m) {
      i = lt + 1;
      continue;
    }
    /* the end of the tag: the first '>' outside a quoted value */
    let j = lt + m[0].length;
    let quote: string | null = null;
    for (; j < n; j++) {
      const ch = text[j];
      if (quote) {
        if (ch === quote) quote = null;
      } else if (ch === '"' || ch === "'") quote = ch;
      else if (ch === '>') break;
    }
    tags.push({ name: m[1], start: lt, end: Math.min(j + 1, n) });
    i = j + 1;
  }
  return tags;
}

export interface ParsedTemplate {
  /** null when the text is not well-formed XML */
  doc: Document | null;
  /** the parser's complaint when it is not */
  error: string | null;
  /** every element, in document order (index = its Tag's index) */
  elements: Element[];
  tags: Tag[];
}

export function parseTemplate(text: string): ParsedTemplate {
  const tags = scanTags(text);
  const doc = new DOMParser().parseFromString(text, 'application/xml');
  const bad = doc.getElementsByTagName('parsererror')[0];
  if (bad) return { doc: null, error: (bad.textContent ?? '').trim(), elements: [], tags };
  const elements = Array.from(doc.getElementsByTagName('*'));
  return { doc, error: null, elements, tags };
}

/** A node of the bands outline: an element and the ones under it that the
 * outline shows (tables' groups and columns). */
export interface OutlineItem {
  index: number; // into ParsedTemplate.elements / tags
  element: Element;
  children: OutlineItem[];
}

const BANDS = new Set(['report-header', 'page-header', 'page-footer', 'summary']);
const BODY = new Set(['table', 'text', 'chart', 'image', 'spacer', 'page-break']);
const SETUP = new Set(['title', 'parameters', 'page']);

/** The outline: page setup, the bands with their content, the body's
 * tables with their groups and columns, in the text's order. */
export function outline(p: ParsedTemplate): OutlineItem[] {
  if (!p.doc) return [];
  const index = new Map(p.elements.map((e, i) => [e, i]));
  const item = (e: Element, deep: boolean): OutlineItem => ({
    index: index.get(e) ?? -1,
    element: e,
    children: deep
      ? Array.from(e.children)
          .filter((c) => BODY.has(c.localName) || ['group', 'column', 'group-header', 'group-footer', 'highlight'].includes(c.localName))
          .map((c) => item(c, true))
      : [],
  });
  const root = p.doc.documentElement;
  return Array.from(root.children)
    .filter((e) => SETUP.has(e.localName) || BANDS.has(e.localName) || BODY.has(e.localName))
    .map((e) => item(e, BANDS.has(e.localName) || e.localName === 'table'));
}

/** How the outline names an element: its kind (@kind gives the reader's
 * word for it) and what tells it apart. */
export function describe(e: Element, kind: (name: string) => string = (n) => n): string {
  const a = (n: string) => e.getAttribute(n);
  const hint =
    a('title') ?? a('value') ?? a('id') ?? a('rows') ?? a('kind') ?? (e.localName === 'text' ? (e.textContent ?? '').trim() : null);
  const short = hint && hint.length > 40 ? hint.slice(0, 39) + '…' : hint;
  return short ? `${kind(e.localName)}: ${short}` : kind(e.localName);
}

const escapeAttr = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

/** @text with the attribute @name of the start tag @tag set to @value
 * (added before the tag's end when absent, removed when @value is null). */
export function setAttribute(text: string, tag: Tag, name: string, value: string | null): string {
  const src = text.slice(tag.start, tag.end);
  const re = new RegExp(`(\\s)${name.replace(/[.-]/g, '\\$&')}\\s*=\\s*("[^"]*"|'[^']*')`);
  const m = re.exec(src);
  let out: string;
  if (m) {
    out =
      value === null
        ? src.slice(0, m.index) + src.slice(m.index + m[0].length)
        : src.slice(0, m.index) + `${m[1]}${name}="${escapeAttr(value)}"` + src.slice(m.index + m[0].length);
  } else if (value === null) out = src;
  else {
    const close = src.endsWith('/>') ? src.length - 2 : src.length - 1;
    const before = src.slice(0, close).replace(/\s+$/, '');
    out = `${before} ${name}="${escapeAttr(value)}"${src.slice(close)}`;
  }
  return text.slice(0, tag.start) + out + text.slice(tag.end);
}

/** The offset of 1-based @line and @column in @text (clamped). */
export function offsetOf(text: string, line: number, column: number): number {
  let off = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', off);
    if (nl < 0) return text.length;
    off = nl + 1;
  }
  const eol = text.indexOf('\n', off);
  const lineEnd = eol < 0 ? text.length : eol;
  return Math.min(off + Math.max(0, column - 1), lineEnd);
}

/** The 1-based line of @offset. */
export function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

export interface Parameters {
  kinds: string[];
  defaultKind: string | null;
  period: string | null;
  title: { ru: string | null; en: string | null };
  id: string | null;
  source: string | null;
}

/** What `<report>`, `<title>` and `<parameters>` say, or nulls. */
export function parameters(text: string): Parameters {
  const p = parseTemplate(text);
  const root = p.doc?.documentElement;
  const first = (name: string) => (root ? Array.from(root.children).find((e) => e.localName === name) : undefined);
  const params = first('parameters');
  const title = first('title');
  return {
    kinds: (params?.getAttribute('kinds') ?? '').split(/\s+/).filter(Boolean),
    defaultKind: params?.getAttribute('default-kind') ?? null,
    period: params?.getAttribute('period') ?? null,
    title: { ru: title?.getAttribute('ru') ?? null, en: title?.getAttribute('en') ?? null },
    id: root?.getAttribute('id') ?? null,
    source: root?.getAttribute('source') ?? null,
  };
}

/** The rows kind of the table the offset @at is in, else of the first
 * table, else "archive": what the field list offers. */
export function rowsAt(p: ParsedTemplate, at: number): string {
  let rows: string | null = null;
  let first: string | null = null;
  p.elements.forEach((e, i) => {
    if (e.localName !== 'table') return;
    const r = e.getAttribute('rows') ?? 'archive';
    first ??= r;
    const tag = p.tags[i];
    if (tag && tag.start <= at) rows = r;
  });
  return rows ?? first ?? 'archive';
}
