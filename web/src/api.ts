// SPDX-License-Identifier: LGPL-2.1-or-later
// The one way pages talk to lersd: JSON over fetch, the browser session's
// cookie and CSRF token, errors as ApiError (with the server's stable code,
// its message in the user's language, and the member a form should mark).
import { language } from './i18n';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** A list answer of /api/v1 (see docs/api.md: keyset pagination). */
export interface Page<T> {
  items: T[];
  next: string | null;
}

let csrfToken: string | null = null;
const unauthorizedListeners = new Set<() => void>();

export function setCsrfToken(token: string | null | undefined): void {
  csrfToken = token ?? null;
}

/** Called when the server answers 401: the shell shows the login form. */
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

/** The query string of @params, without empty values. */
export function query(params: Record<string, string | number | boolean | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? '?' + s : '';
}

/** Where an answer came from: the server, or (offline) the service
 * worker's copy of the last answer, stored at @storedAt. */
export interface Answer<T> {
  data: T;
  offline: boolean;
  storedAt: string | null;
}

export async function api<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  return (await request<T>(method, path, body, signal)).data;
}

/** GET @path, saying whether the answer is the offline copy. */
export function getAnswer<T>(path: string, signal?: AbortSignal): Promise<Answer<T>> {
  return request<T>('GET', path, undefined, signal);
}

async function request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<Answer<T>> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': language() };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch('/api/v1' + path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body !== undefined ? JSON.stringify(body) : undefined,
      signal,
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'unavailable', (e as Error).message);
  }
  const offline = response.headers.get('X-Lers-Offline') === '1';
  const storedAt = response.headers.get('X-Lers-Stored-At');
  if (response.status === 204) return { data: undefined as T, offline, storedAt };
  const text = await response.text();
  let data: any = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    const err = data?.error ?? {};
    if (response.status === 401) for (const l of unauthorizedListeners) l();
    throw new ApiError(response.status, err.code ?? 'unknown', err.message ?? response.statusText, err.field);
  }
  return { data: data as T, offline, storedAt };
}

export const get = <T>(path: string, signal?: AbortSignal) => api<T>('GET', path, undefined, signal);
export const post = <T>(path: string, body?: unknown) => api<T>('POST', path, body ?? {});
export const put = <T>(path: string, body: unknown) => api<T>('PUT', path, body);
export const patch = <T>(path: string, body: unknown) => api<T>('PATCH', path, body);
export const del = (path: string) => api<void>('DELETE', path);

/** Every item of a list, following `next` (bounded by @max items). */
export async function getAll<T>(path: string, max = 100000, signal?: AbortSignal): Promise<T[]> {
  const items: T[] = [];
  const sep = path.includes('?') ? '&' : '?';
  let after: string | null = null;
  do {
    const page: Page<T> = await get<Page<T>>(
      `${path}${sep}limit=1000${after ? '&after=' + encodeURIComponent(after) : ''}`,
      signal,
    );
    items.push(...page.items);
    after = page.next;
  } while (after && items.length < max);
  return items;
}
