// SPDX-License-Identifier: LGPL-2.1-or-later
// The template's text: a plain textarea (the browser's undo, search and
// accessibility) with line numbers beside it, scrolled together; and the
// cursor moves the editor makes (insert at the cursor, go to a line and
// column, select a range).
import type { RefObject } from 'preact';
import { useRef } from 'preact/hooks';
import { offsetOf } from './template-text';

export function CodeEditor(props: {
  id: string;
  value: string;
  readOnly: boolean;
  textarea: RefObject<HTMLTextAreaElement>;
  onInput: (text: string) => void;
  onCursor?: (offset: number) => void;
  describedBy?: string;
}) {
  const gutter = useRef<HTMLPreElement>(null);
  const lines = props.value.split('\n').length;
  let numbers = '';
  for (let i = 1; i <= lines; i++) numbers += i + '\n';
  const cursor = (e: Event) => props.onCursor?.((e.currentTarget as HTMLTextAreaElement).selectionStart);
  return (
    <div class="code-editor">
      <pre class="code-lines" aria-hidden="true" ref={gutter}>
        {numbers}
      </pre>
      <textarea
        id={props.id}
        ref={props.textarea}
        class="code-text"
        value={props.value}
        readOnly={props.readOnly}
        spellcheck={false}
        wrap="off"
        autocomplete="off"
        aria-describedby={props.describedBy}
        onInput={(e) => {
          props.onInput((e.currentTarget as HTMLTextAreaElement).value);
          cursor(e);
        }}
        onScroll={(e) => {
          if (gutter.current) gutter.current.scrollTop = (e.currentTarget as HTMLTextAreaElement).scrollTop;
        }}
        onClick={cursor}
        onKeyUp={cursor}
      />
    </div>
  );
}

/** Selects [start, end) in @ta, scrolled into view, and focuses it. */
export function selectRange(ta: HTMLTextAreaElement, start: number, end: number): void {
  ta.focus();
  ta.setSelectionRange(start, end);
  /* scroll the line into view: the textarea has no API for it */
  const before = ta.value.slice(0, start).split('\n').length - 1;
  const lineHeight = parseFloat(getComputedStyle(ta).lineHeight) || 18;
  const top = before * lineHeight;
  if (top < ta.scrollTop || top > ta.scrollTop + ta.clientHeight - lineHeight) ta.scrollTop = Math.max(0, top - ta.clientHeight / 3);
}

/** Puts the cursor at @line, @column (1-based). */
export function goTo(ta: HTMLTextAreaElement, line: number, column: number): void {
  const off = offsetOf(ta.value, line, column);
  selectRange(ta, off, off);
}

/** @text with @insert in place of @ta's selection; the new cursor. */
export function insertAtCursor(ta: HTMLTextAreaElement | null, text: string, insert: string): { text: string; cursor: number } {
  const start = ta ? ta.selectionStart : text.length;
  const end = ta ? ta.selectionEnd : text.length;
  return { text: text.slice(0, start) + insert + text.slice(end), cursor: start + insert.length };
}
