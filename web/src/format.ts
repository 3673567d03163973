// SPDX-License-Identifier: LGPL-2.1-or-later
// Numbers and times as the reader writes them: "1 234,5" and 05.01.2026
// 14:00 in Russian, in the node's own time zone (a meter in Yekaterinburg
// reads 14:00 there, whatever zone the browser is in).
import { locale } from './i18n';

const numberFormats = new Map<string, Intl.NumberFormat>();

export function formatNumber(value: number | null | undefined, digits?: number): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  const key = `${locale()}/${digits ?? 'auto'}`;
  let f = numberFormats.get(key);
  if (!f) {
    f =
      digits === undefined
        ? new Intl.NumberFormat(locale(), { maximumFractionDigits: 3 })
        : new Intl.NumberFormat(locale(), { minimumFractionDigits: digits, maximumFractionDigits: digits });
    numberFormats.set(key, f);
  }
  return f.format(value);
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(zone: string | undefined, options: Intl.DateTimeFormatOptions, name: string) {
  const key = `${locale()}/${zone ?? ''}/${name}`;
  let f = dateFormats.get(key);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat(locale(), { ...options, timeZone: zone || undefined });
    } catch {
      f = new Intl.DateTimeFormat(locale(), options); /* an unknown zone name */
    }
    dateFormats.set(key, f);
  }
  return f;
}

function toDate(value: string | number | Date | null | undefined): Date | null {
  if (value === null || value === undefined || value === '') return null;
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** "05.01.2026, 14:00" in @zone (an IANA name; the browser's zone if none). */
export function formatDateTime(value: string | number | Date | null | undefined, zone?: string, seconds = false): string {
  const d = toDate(value);
  if (!d) return '—';
  return dateFormat(
    zone,
    {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: seconds ? '2-digit' : undefined,
      hourCycle: 'h23',
    },
    seconds ? 'dts' : 'dt',
  ).format(d);
}

export function formatDate(value: string | number | Date | null | undefined, zone?: string): string {
  const d = toDate(value);
  if (!d) return '—';
  return dateFormat(zone, { year: 'numeric', month: '2-digit', day: '2-digit' }, 'd').format(d);
}

/** "январь 2026" / "January 2026" */
export function formatMonth(value: string | number | Date | null | undefined, zone?: string): string {
  const d = toDate(value);
  if (!d) return '—';
  return dateFormat(zone, { year: 'numeric', month: 'long' }, 'm').format(d);
}

export function formatTime(value: string | number | Date | null | undefined, zone?: string): string {
  const d = toDate(value);
  if (!d) return '—';
  return dateFormat(zone, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }, 't').format(d);
}

/** The wall-clock parts of @value in @zone: for period pickers and axes. */
export function zonedParts(value: Date, zone?: string): { y: number; m: number; d: number; h: number; min: number } {
  const parts = dateFormat(
    zone,
    { year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', hourCycle: 'h23' },
    'parts',
  ).formatToParts(value);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { y: get('year'), m: get('month'), d: get('day'), h: get('hour'), min: get('minute') };
}
