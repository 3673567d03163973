// SPDX-License-Identifier: LGPL-2.1-or-later
// Russian by default, English on request. Messages are written in English
// in the sources, passed to t(); src/locale/ru/*.json translate them (web/build.mjs
// fails when one is missing). Parameters in braces: {n}, filled from an object.
import russianCatalogue from 'virtual:ru-catalogue';

export type Language = 'ru' | 'en';
const STORAGE_KEY = 'lers.language';
const russian: Record<string, string> = russianCatalogue;
let current: Language = initialLanguage();
const listeners = new Set<() => void>();

function initialLanguage(): Language {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored === 'ru' || stored === 'en') return stored;
  } catch {
    /* storage refused: fall through */
  }
  return 'ru';
}

export function language(): Language {
  return current;
}

/** The BCP 47 locale for Intl: Russian readers' numbers and dates. */
export function locale(): string {
  return current === 'ru' ? 'ru-RU' : 'en-GB';
}

export function setLanguage(lang: Language): void {
  if (lang === current) return;
  current = lang;
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    /* not remembered, still switched */
  }
  document.documentElement.lang = lang;
  for (const l of listeners) l();
}

export function onLanguageChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function t(message: string, params?: Record<string, string | number>): string {
  let text = current === 'ru' ? (russian[message] ?? message) : message;
  if (params) text = text.replace(/\{(\w+)\}/g, (m, k) => (k in params ? String(params[k]) : m));
  return text;
}

/** Russian plural forms: one (1, 21), few (2–4, 22–24), many (5–20, 25…). */
export function plural(n: number, one: string, few: string, many: string): string {
  const m10 = n % 10;
  const m100 = n % 100;
  if (current === 'en') return n === 1 ? one : many;
  if (m10 === 1 && m100 !== 11) return one;
  if (m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14)) return few;
  return many;
}
