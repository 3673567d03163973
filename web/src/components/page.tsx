// SPDX-License-Identifier: LGPL-2.1-or-later
// The frame of every page: its title (also the document's), and what to
// show while data loads or when it failed.
import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { ApiError } from '../api';
import { t } from '../i18n';

export function Page(props: { title: string; actions?: ComponentChildren; children: ComponentChildren }) {
  useEffect(() => {
    document.title = `${props.title} — LERS`;
  }, [props.title]);
  return (
    <section class="page" aria-labelledby="page-title">
      <header class="page-header">
        <h1 id="page-title">{props.title}</h1>
        {props.actions && <div class="page-actions">{props.actions}</div>}
      </header>
      {props.children}
    </section>
  );
}

export function Loading() {
  return (
    <p class="loading" role="status">
      {t('Loading…')}
    </p>
  );
}

/** A failed request as a user reads it: not found, no rights, offline. */
export function ErrorMessage(props: { error: Error }) {
  const e = props.error;
  let text = e.message;
  if (e instanceof ApiError) {
    if (e.status === 404) text = t('Not found, or you have no access to it.');
    else if (e.status === 403) text = t('You have no rights for this.');
    else if (e.status === 0) text = t('The server cannot be reached.');
  }
  return (
    <p class="error" role="alert">
      {text}
    </p>
  );
}
