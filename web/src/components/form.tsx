// SPDX-License-Identifier: LGPL-2.1-or-later
// A small form kit on components/field.tsx: fields described by a spec
// (their kind, label, rules), the client's checks with the message under
// the field, and the server's answer under the field it names
// (ApiError.field; otherwise above the form). Values are kept as the user
// typed them and turned into the API's JSON types on submit.
import type { ComponentChildren, JSX } from 'preact';
import { useMemo, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { language, t } from '../i18n';
import { Field, fieldId } from './field';

export type FieldKind =
  | 'text'
  | 'textarea'
  | 'email'
  | 'password'
  | 'number' // a decimal number ("56,8" or "56.8")
  | 'integer'
  | 'select'
  | 'checkbox'
  | 'checkboxes' // several choices: an array of strings
  | 'date'; // a calendar date: "2026-03-01" (sent as is)

export interface Option {
  value: string;
  label: string;
}

export interface FieldSpec {
  /** The API member it edits. */
  name: string;
  /** Already translated. */
  label: string;
  kind?: FieldKind;
  required?: boolean;
  min?: number;
  max?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: RegExp;
  patternMessage?: string;
  options?: Option[];
  /** Suggestions for a text field (a datalist). */
  suggestions?: string[];
  hint?: string;
  /** The value of a new object's field (else empty, unticked). */
  initial?: FormValue;
  /** An empty text is sent as null (the default); else as "". */
  emptyIsNull?: boolean;
  /** Never shown by the server: sent only when the user typed one. */
  writeOnly?: boolean;
  /** Ids (select of objects): the value is sent as an integer or null. */
  id?: boolean;
  /** A select of numbers (baud rates): sent as an integer. */
  numeric?: boolean;
  /** Not editable even for those who may write (a login after creation). */
  readOnly?: boolean;
  /** Shown only when it returns true (e.g. serial settings of a serial line). */
  visible?: (values: FormValues) => boolean;
  /** Another check: a message, or null when fine. */
  validate?: (value: FormValue, values: FormValues) => string | null;
  autocomplete?: string;
}

export type FormValue = string | boolean | string[];
export type FormValues = Record<string, FormValue>;
export type FieldErrors = Record<string, string>;

function kindOf(f: FieldSpec): FieldKind {
  return f.kind ?? 'text';
}

/** The form's values of an object as the API shows it. */
export function valuesFrom(fields: FieldSpec[], object: Record<string, unknown> | null | undefined): FormValues {
  const values: FormValues = {};
  for (const f of fields) {
    if (!object && f.initial !== undefined) {
      values[f.name] = f.initial;
      continue;
    }
    const v = object?.[f.name];
    switch (kindOf(f)) {
      case 'checkbox':
        values[f.name] = v === true;
        break;
      case 'checkboxes':
        values[f.name] = Array.isArray(v) ? v.map(String) : [];
        break;
      case 'date':
        values[f.name] = typeof v === 'string' ? v.slice(0, 10) : '';
        break;
      case 'password':
        values[f.name] = '';
        break;
      case 'number':
        // the reader's decimal separator: 56,838 in Russian
        values[f.name] = typeof v === 'number' ? (language() === 'ru' ? String(v).replace('.', ',') : String(v)) : '';
        break;
      default:
        values[f.name] = v === null || v === undefined ? '' : String(v);
    }
  }
  return values;
}

function parseNumber(text: string): number {
  const s = text.trim().replace(/\s/g, '').replace(',', '.');
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) return Number.NaN;
  return Number(s);
}

/** A field's value as the API's JSON type. */
export function jsonValue(f: FieldSpec, v: FormValue): unknown {
  const kind = kindOf(f);
  if (kind === 'checkbox') return v === true;
  if (kind === 'checkboxes') return Array.isArray(v) ? v : [];
  const text = typeof v === 'string' ? v : '';
  if (text.trim() === '') return f.emptyIsNull === false ? '' : null;
  if (kind === 'number') return parseNumber(text);
  if (kind === 'integer' || f.id || f.numeric) return Math.trunc(parseNumber(text));
  if (kind === 'text' || kind === 'textarea' || kind === 'email') return text.trim();
  return text;
}

/** The client's checks: a message per field that fails one. */
export function validate(fields: FieldSpec[], values: FormValues): FieldErrors {
  const errors: FieldErrors = {};
  for (const f of fields) {
    if (f.visible && !f.visible(values)) continue;
    if (f.readOnly) continue;
    const kind = kindOf(f);
    const v = values[f.name];
    const text = typeof v === 'string' ? v.trim() : '';
    let message: string | null = null;
    if (kind === 'checkbox' || kind === 'checkboxes') {
      if (f.required && kind === 'checkboxes' && (!Array.isArray(v) || v.length === 0))
        message = t('Choose at least one.');
    } else if (text === '') {
      if (f.required) message = t('Required.');
    } else if (kind === 'number' || kind === 'integer') {
      const n = parseNumber(text);
      if (Number.isNaN(n)) message = kind === 'integer' ? t('Enter a whole number.') : t('Enter a number.');
      else if (kind === 'integer' && !Number.isInteger(n)) message = t('Enter a whole number.');
      else if (f.min !== undefined && f.max !== undefined && (n < f.min || n > f.max))
        message = t('From {min} to {max}.', { min: f.min, max: f.max });
      else if (f.min !== undefined && n < f.min) message = t('At least {min}.', { min: f.min });
      else if (f.max !== undefined && n > f.max) message = t('At most {max}.', { max: f.max });
    } else if (kind === 'email' && !/^[^\s@]+@[^\s@]+$/.test(text)) {
      message = t('Enter an e-mail address such as name@example.org.');
    } else if (kind === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(text)) {
      message = t('Enter a date.');
    } else if (f.minLength !== undefined && [...(v as string)].length < f.minLength) {
      message = t('At least {n} characters.', { n: f.minLength });
    } else if (f.maxLength !== undefined && [...text].length > f.maxLength) {
      message = t('At most {n} characters.', { n: f.maxLength });
    } else if (f.pattern && !f.pattern.test(text)) {
      message = f.patternMessage ?? t('Wrong format.');
    }
    if (!message && f.validate) message = f.validate(v, values);
    if (message) errors[f.name] = message;
  }
  return errors;
}

/**
 * The body to send: every visible, editable field (@initial null: a new
 * object), or only those changed since @initial (a PATCH). A write-only
 * field left empty is not sent.
 */
export function bodyFrom(
  fields: FieldSpec[],
  values: FormValues,
  initial: FormValues | null,
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const f of fields) {
    if (f.readOnly && initial) continue;
    if (f.visible && !f.visible(values)) continue;
    const v = values[f.name];
    if (f.writeOnly && (typeof v !== 'string' || v === '')) continue;
    const value = jsonValue(f, v);
    if (initial && !f.writeOnly && JSON.stringify(jsonValue(f, initial[f.name])) === JSON.stringify(value)) continue;
    if (!initial && value === null) continue; // the server's default
    body[f.name] = value;
  }
  return body;
}

interface InputProps {
  spec: FieldSpec;
  id: string;
  value: FormValue;
  error?: string;
  disabled: boolean;
  onInput: (value: FormValue) => void;
}

function Input({ spec, id, value, error, disabled, onInput }: InputProps) {
  const kind = kindOf(spec);
  const describedBy = error ? `${id}-error` : undefined;
  const common = {
    id,
    name: spec.name,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy,
    'aria-required': spec.required ? true : undefined,
    disabled: disabled || undefined,
  };
  const text = typeof value === 'string' ? value : '';
  const onText = (e: JSX.TargetedEvent<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>) =>
    onInput(e.currentTarget.value);
  switch (kind) {
    case 'textarea':
      return <textarea {...common} value={text} rows={3} onInput={onText} />;
    case 'select':
      return (
        <select {...common} value={text} onChange={onText}>
          {!spec.required && <option value="">{t('(none)')}</option>}
          {spec.required && text === '' && (
            <option value="" disabled>
              {t('Choose…')}
            </option>
          )}
          {(spec.options ?? []).map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
          {text !== '' && !(spec.options ?? []).some((o) => o.value === text) && <option value={text}>{text}</option>}
        </select>
      );
    case 'checkbox':
      return (
        <input
          {...common}
          type="checkbox"
          class="checkbox"
          checked={value === true}
          onChange={(e) => onInput(e.currentTarget.checked)}
        />
      );
    case 'number':
    case 'integer':
      return (
        <input
          {...common}
          type="text"
          inputMode={kind === 'integer' && (spec.min ?? -1) >= 0 ? 'numeric' : 'decimal'}
          value={text}
          onInput={onText}
        />
      );
    default: {
      const listId = spec.suggestions ? `${id}-list` : undefined;
      return (
        <>
          <input
            {...common}
            type={kind === 'password' ? 'password' : kind === 'email' ? 'email' : kind === 'date' ? 'date' : 'text'}
            value={text}
            list={listId}
            autoComplete={spec.autocomplete ?? (kind === 'password' ? 'new-password' : 'off')}
            onInput={onText}
          />
          {listId && (
            <datalist id={listId}>
              {spec.suggestions!.map((s) => (
                <option key={s} value={s} />
              ))}
            </datalist>
          )}
        </>
      );
    }
  }
}

function Choices({ spec, id, value, error, disabled, onInput }: InputProps) {
  const chosen = Array.isArray(value) ? value : [];
  return (
    <fieldset class={'field choices' + (error ? ' has-error' : '')} aria-describedby={error ? `${id}-error` : undefined}>
      <legend>{spec.label}</legend>
      {(spec.options ?? []).length === 0 && <span class="hint">{t('Nothing to choose from.')}</span>}
      {(spec.options ?? []).map((o, i) => (
        <label key={o.value} class="choice">
          <input
            type="checkbox"
            id={`${id}-${i}`}
            checked={chosen.includes(o.value)}
            disabled={disabled || undefined}
            onChange={(e) =>
              onInput(e.currentTarget.checked ? [...chosen, o.value] : chosen.filter((c) => c !== o.value))
            }
          />{' '}
          {o.label}
        </label>
      ))}
      {spec.hint && !error && <small class="hint">{spec.hint}</small>}
      {error && (
        <small class="field-error" id={`${id}-error`} role="alert">
          {error}
        </small>
      )}
    </fieldset>
  );
}

export interface FormProps {
  fields: FieldSpec[];
  /** The object being edited as the API shows it, or null for a new one. */
  object: Record<string, unknown> | null;
  /** Sends the body (all fields for a new object, the changed ones else). */
  onSubmit: (body: Record<string, unknown>, values: FormValues) => Promise<void>;
  readOnly?: boolean;
  submitLabel?: string;
  /** Says which field an error of the server is about when it names none (e.g. a 409 on a login). */
  errorField?: (e: ApiError) => string | undefined;
  /** Extra content after the fields and before the buttons. */
  children?: ComponentChildren;
  /** More buttons next to "Save" (delete, cancel). */
  buttons?: ComponentChildren;
  /** The form's accessible name. */
  label?: string;
  class?: string;
}

/** A form: fields, client checks, the server's errors at their fields, Save. */
export function Form(props: FormProps) {
  const initial = useMemo(() => (props.object ? valuesFrom(props.fields, props.object) : null), [props.object]);
  const [values, setValues] = useState<FormValues>(() => initial ?? valuesFrom(props.fields, null));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const ids = useRef<Record<string, string>>({});
  const formRef = useRef<HTMLFormElement>(null);
  const idOf = (name: string) => (ids.current[name] ??= fieldId(name));
  const readOnly = props.readOnly === true;

  const focusFirstError = (names: string[]) => {
    const first = props.fields.find((f) => names.includes(f.name));
    if (!first) return;
    window.setTimeout(() => {
      const el =
        formRef.current?.querySelector<HTMLElement>(`#${CSS.escape(idOf(first.name))}`) ??
        formRef.current?.querySelector<HTMLElement>(`#${CSS.escape(idOf(first.name))}-0`);
      el?.focus();
    }, 0);
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (readOnly || busy) return;
    setSaved(false);
    setFormError(null);
    const found = validate(props.fields, values);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      focusFirstError(Object.keys(found));
      return;
    }
    setBusy(true);
    try {
      await props.onSubmit(bodyFrom(props.fields, values, initial), values);
      setSaved(true);
    } catch (err) {
      const apiError = err instanceof ApiError ? err : null;
      const name = apiError ? (apiError.field ?? props.errorField?.(apiError)) : undefined;
      const spec = name ? props.fields.find((f) => f.name === name && (!f.visible || f.visible(values))) : undefined;
      // PostgreSQL's own words for a unique index (the server names the
      // member but passes the database's English text on): say it plainly
      const inUse = spec && apiError && /duplicate key value violates unique constraint/.test(apiError.message);
      const message = inUse
        ? t('This value is already in use: {value}.', { value: String(values[spec.name]).trim() })
        : apiError?.status === 403
          ? t('You have no rights for this.')
          : apiError?.status === 0
            ? t('The server cannot be reached.')
            : (err as Error).message;
      if (spec) {
        setErrors({ [spec.name]: message });
        focusFirstError([spec.name]);
      } else setFormError(message);
    } finally {
      setBusy(false);
    }
  };

  const set = (name: string, v: FormValue) => {
    setValues((old) => ({ ...old, [name]: v }));
    setSaved(false);
    if (errors[name]) {
      const rest = { ...errors };
      delete rest[name];
      setErrors(rest);
    }
  };

  return (
    <form
      ref={formRef}
      class={'form ' + (props.class ?? '')}
      noValidate
      onSubmit={submit}
      aria-label={props.label}
      aria-busy={busy || undefined}
    >
      {formError && (
        <p class="error form-error" role="alert">
          {formError}
        </p>
      )}
      {props.fields.map((f) => {
        if (f.visible && !f.visible(values)) return null;
        const id = idOf(f.name);
        const input = {
          spec: f,
          id,
          value: values[f.name],
          error: errors[f.name],
          disabled: readOnly || f.readOnly === true || busy,
          onInput: (v: FormValue) => set(f.name, v),
        };
        if (kindOf(f) === 'checkboxes') return <Choices key={f.name} {...input} />;
        return (
          <Field key={f.name} id={id} label={f.label} error={errors[f.name]} hint={f.hint}>
            <Input {...input} />
          </Field>
        );
      })}
      {props.children}
      <div class="form-buttons">
        {!readOnly && (
          <button type="submit" class="primary" disabled={busy}>
            {props.submitLabel ?? t('Save')}
          </button>
        )}
        {props.buttons}
        {saved && !busy && (
          <span class="success" role="status">
            {t('Saved.')}
          </span>
        )}
      </div>
    </form>
  );
}
