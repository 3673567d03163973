// SPDX-License-Identifier: LGPL-2.1-or-later
// A period of time as operators pick it: presets (today, yesterday, this
// and last month, 7 and 30 days, a year) or their own from/to, always in the
// node's local time. A period is two wall-clock times without an offset
// ("2026-11-30T00:00"): the API reads such a time in the point's zone
// (docs/api.md), so the same link shows the same hours in any browser.
import { useEffect, useState } from 'preact/hooks';
import { zonedParts } from '../format';
import { t } from '../i18n';
import { Field, fieldId } from './field';

export type Preset = 'today' | 'yesterday' | 'this-month' | 'last-month' | '7d' | '30d' | 'year';
export const PRESETS: Preset[] = ['today', 'yesterday', '7d', '30d', 'this-month', 'last-month', 'year'];

export interface Period {
  /** Wall-clock time in the node's zone, "YYYY-MM-DDTHH:MM". */
  from: string;
  to: string;
}

export function presetLabel(p: Preset): string {
  switch (p) {
    case 'today':
      return t('Today');
    case 'yesterday':
      return t('Yesterday');
    case 'this-month':
      return t('This month');
    case 'last-month':
      return t('Last month');
    case '7d':
      return t('7 days');
    case '30d':
      return t('30 days');
    case 'year':
      return t('Year');
  }
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A calendar day (UTC arithmetic on wall-clock dates: no zone involved). */
function day(y: number, m: number, d: number): string {
  const date = new Date(Date.UTC(y, m - 1, d));
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}T00:00`;
}

/** The local day @now is in, in @zone. */
export function localToday(zone: string | undefined, now = new Date()): { y: number; m: number; d: number } {
  const p = zonedParts(now, zone);
  return { y: p.y, m: p.m, d: p.d };
}

/**
 * The period of @preset at @now in @zone: [from, to) as wall-clock times.
 * "7 days" and "30 days" end with today (included); "year" is the 365
 * days that end with today.
 */
export function presetPeriod(preset: Preset, zone: string | undefined, now = new Date()): Period {
  const { y, m, d } = localToday(zone, now);
  switch (preset) {
    case 'today':
      return { from: day(y, m, d), to: day(y, m, d + 1) };
    case 'yesterday':
      return { from: day(y, m, d - 1), to: day(y, m, d) };
    case 'this-month':
      return { from: day(y, m, 1), to: day(y, m + 1, 1) };
    case 'last-month':
      return { from: day(y, m - 1, 1), to: day(y, m, 1) };
    case '7d':
      return { from: day(y, m, d - 6), to: day(y, m, d + 1) };
    case '30d':
      return { from: day(y, m, d - 29), to: day(y, m, d + 1) };
    case 'year':
      return { from: day(y, m, d - 364), to: day(y, m, d + 1) };
  }
}

/** "2026-11-30T00:00" as given, or null when it is not such a time. */
export function parseLocal(value: string | null | undefined): string | null {
  if (!value) return null;
  const m = value.match(/^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?/);
  if (!m) return null;
  return `${m[1]}-${m[2]}-${m[3]}T${m[4] ?? '00'}:${m[5] ?? '00'}`;
}

/** The wall-clock time as seconds of a UTC clock: for ordering only. */
function order(value: string): number {
  return Date.parse(value + ':00Z');
}

/** The preset whose period @period is at @now, if any. */
export function matchingPreset(period: Period, zone: string | undefined, now = new Date()): Preset | null {
  for (const p of PRESETS) {
    const q = presetPeriod(p, zone, now);
    if (q.from === period.from && q.to === period.to) return p;
  }
  return null;
}

export function PeriodPicker(props: { value: Period; zone: string | undefined; onChange: (p: Period) => void }) {
  const [from, setFrom] = useState(props.value.from);
  const [to, setTo] = useState(props.value.to);
  const [error, setError] = useState<string | null>(null);
  const [ids] = useState(() => ({ preset: fieldId('period'), from: fieldId('from'), to: fieldId('to') }));
  useEffect(() => {
    setFrom(props.value.from);
    setTo(props.value.to);
    setError(null);
  }, [props.value.from, props.value.to]);
  const preset = matchingPreset(props.value, props.zone);

  const apply = (e: Event) => {
    e.preventDefault();
    const f = parseLocal(from);
    const tt = parseLocal(to);
    if (!f || !tt) return setError(t('Enter both dates.'));
    if (order(f) >= order(tt)) return setError(t('“From” must be earlier than “to”.'));
    if (order(tt) - order(f) > 366 * 86400 * 1000) return setError(t('At most 366 days.'));
    setError(null);
    props.onChange({ from: f, to: tt });
  };

  return (
    <form class="period-picker" onSubmit={apply}>
      <Field id={ids.preset} label={t('Period')}>
        <select
          id={ids.preset}
          value={preset ?? ''}
          onChange={(e) => {
            const v = (e.currentTarget as HTMLSelectElement).value as Preset | '';
            if (v) props.onChange(presetPeriod(v, props.zone));
          }}
        >
          {!preset && <option value="">{t('Custom')}</option>}
          {PRESETS.map((p) => (
            <option key={p} value={p}>
              {presetLabel(p)}
            </option>
          ))}
        </select>
      </Field>
      <Field id={ids.from} label={t('From')} error={error}>
        <input
          id={ids.from}
          type="datetime-local"
          value={from}
          aria-invalid={error ? true : undefined}
          onInput={(e) => setFrom((e.currentTarget as HTMLInputElement).value)}
        />
      </Field>
      <Field id={ids.to} label={t('To')}>
        <input id={ids.to} type="datetime-local" value={to} onInput={(e) => setTo((e.currentTarget as HTMLInputElement).value)} />
      </Field>
      <button type="submit">{t('Show')}</button>
    </form>
  );
}
