// SPDX-License-Identifier: LGPL-2.1-or-later
// A user's own settings (the columns of a list, its grouping, the map's
// view), kept on the server under /auth/me/settings/KEY so they follow the
// user to any workstation; the last value seen is also kept in the browser
// so the page opens as it was before the answer comes (and offline).
import { useEffect, useState } from 'preact/hooks';
import { get, put } from './api';
import { currentUser } from './session';

function localKey(key: string): string {
  return `lers.setting.${currentUser()?.login ?? ''}.${key}`;
}

function readLocal<T>(key: string): T | undefined {
  try {
    const raw = localStorage.getItem(localKey(key));
    return raw === null ? undefined : (JSON.parse(raw) as T);
  } catch {
    return undefined;
  }
}

// Every setting of the user, asked once a session (GET /auth/me/settings):
// asking key by key would get a 404, logged by the browser, for each
// setting never saved.
let all: Promise<Record<string, unknown>> | null = null;
let allFor = '';
function allSettings(): Promise<Record<string, unknown>> {
  const who = currentUser()?.login ?? '';
  if (all === null || allFor !== who) {
    allFor = who;
    all = get<Record<string, unknown>>('/auth/me/settings');
    all.catch(() => {
      all = null; /* asked again next time */
    });
  }
  return all;
}

export async function loadSetting<T>(key: string): Promise<T | undefined> {
  try {
    const value = (await allSettings())[key] as T | undefined;
    if (value !== undefined) localStorage.setItem(localKey(key), JSON.stringify(value));
    return value;
  } catch {
    return readLocal<T>(key); /* offline: the last value seen here */
  }
}

export async function saveSetting<T>(key: string, value: T): Promise<void> {
  try {
    localStorage.setItem(localKey(key), JSON.stringify(value));
  } catch {
    /* the server keeps it */
  }
  await put(`/auth/me/settings/${encodeURIComponent(key)}`, value);
  if (all !== null) all = all.then((s) => ({ ...s, [key]: value }));
}

/** [value, set] of a setting: @fallback until one is stored. */
export function useSetting<T>(key: string, fallback: T): [T, (value: T) => void] {
  const [value, setValue] = useState<T>(() => readLocal<T>(key) ?? fallback);
  useEffect(() => {
    let alive = true;
    loadSetting<T>(key).then((v) => {
      if (alive && v !== undefined) setValue(v);
    });
    return () => {
      alive = false;
    };
  }, [key]);
  return [
    value,
    (v: T) => {
      setValue(v);
      saveSetting(key, v).catch(() => undefined);
    },
  ];
}
