// SPDX-License-Identifier: LGPL-2.1-or-later
// A labelled form field with its error (the client's check, or the
// server's answer naming this field) right under it.
import type { ComponentChildren } from 'preact';

let counter = 0;
export function fieldId(name: string): string {
  counter += 1;
  return `f-${name}-${counter}`;
}

export function Field(props: { id: string; label: string; error?: string | null; hint?: string; children: ComponentChildren }) {
  const errorId = `${props.id}-error`;
  return (
    <div class={'field' + (props.error ? ' has-error' : '')}>
      <label for={props.id}>{props.label}</label>
      {props.children}
      {props.hint && !props.error && <small class="hint">{props.hint}</small>}
      {props.error && (
        <small class="field-error" id={errorId} role="alert">
          {props.error}
        </small>
      )}
    </div>
  );
}
