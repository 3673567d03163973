// SPDX-License-Identifier: LGPL-2.1-or-later
// A button for what cannot be undone (deleting): the first press asks
// "Delete …? This cannot be undone." in place, with the real button and
// "Cancel"; the question takes the focus, Escape cancels.
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { fieldId } from './field';
import { t } from '../i18n';

export function ConfirmButton(props: {
  label: string;
  question: string;
  confirmLabel?: string;
  onConfirm: () => Promise<void> | void;
  disabled?: boolean;
}) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const boxRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const asked = useRef(false);
  const id = useRef(fieldId('confirm')).current;
  useLayoutEffect(() => {
    if (asking) {
      asked.current = true;
      boxRef.current?.querySelector<HTMLButtonElement>('button.danger')?.focus();
    } else if (asked.current) buttonRef.current?.focus(); // back where the user was
  }, [asking]);
  // Escape is "no" wherever the focus is while the question is open
  useLayoutEffect(() => {
    if (!asking) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setAsking(false);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [asking]);
  if (!asking)
    return (
      <button ref={buttonRef} type="button" class="danger" disabled={props.disabled} onClick={() => setAsking(true)}>
        {props.label}
      </button>
    );
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await props.onConfirm();
      setAsking(false);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div
      ref={boxRef}
      class="confirm"
      role="alertdialog"
      aria-labelledby={id}
    >
      <p id={id}>{props.question}</p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <button type="button" class="danger" disabled={busy} onClick={confirm}>
        {props.confirmLabel ?? props.label}
      </button>{' '}
      <button type="button" onClick={() => setAsking(false)} disabled={busy}>
        {t('No, go back')}
      </button>
    </div>
  );
}
