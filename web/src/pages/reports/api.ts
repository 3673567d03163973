// SPDX-License-Identifier: LGPL-2.1-or-later
// The report routes of /api/v1 (docs/api-reports.md): templates, their
// check, the field catalogue, rendering a file and the batch jobs of the
// document register. JSON goes through src/api.ts; files come back as a
// Blob. An error may name a line and column of the template (422).
import { ApiError, get } from '../../api';
import { language } from '../../i18n';
import { sessionLost } from '../../session';

export interface TemplateItem {
  id: string | number;
  title: string;
  system: boolean;
  /** null for a system template */
  version: number | null;
  period?: string | null;
  default_kind?: string | null;
  /** false for a stored text the engine no longer accepts */
  valid?: boolean;
  source?: string;
  kinds?: string[] | string;
}
export interface Template extends TemplateItem {
  body: string;
}
export interface TemplateVersion {
  version: number;
  created_at: string;
  created_by: string | null;
}
/** A problem of a template's text, where it is. */
export interface TemplateProblem {
  line: number | null;
  column: number | null;
  message: string;
}
export interface CheckAnswer {
  ok: boolean;
  errors: TemplateProblem[];
}
export interface Job {
  id: string | number;
  state: string;
  done: number;
  total: number;
  error?: string | { message?: string } | null;
}
export type Format = 'pdf' | 'png' | 'svg' | 'xlsx' | 'csv' | 'html';
export const FORMATS: Format[] = ['pdf', 'xlsx', 'html', 'csv', 'png', 'svg'];
export type RowsKind = 'archive' | 'points' | 'events' | 'incidents' | 'readings';
export const ROWS_KINDS: RowsKind[] = ['archive', 'points', 'events', 'incidents', 'readings'];

/** What to render: a stored template (@template) or a text (@body). */
export interface RenderRequest {
  template?: string | number;
  body?: string;
  points?: number[];
  group?: number;
  from: string;
  to: string;
  kind: string;
  format: Format;
  language: string;
}

/** An API error that may point into the template's text. */
export class ReportError extends ApiError {
  constructor(
    status: number,
    code: string,
    message: string,
    readonly problems: TemplateProblem[],
  ) {
    super(status, code, message);
  }
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The error of an answer's body, in any of the shapes lersd gives:
 * {"error": {"code", "message", "line", "column"}}, {"error": "…",
 * "line", "column"} or {"errors": [{line, column, message}]}. */
export function errorOf(status: number, statusText: string, data: any): ReportError {
  const e = data?.error;
  const code = (e && typeof e === 'object' ? e.code : undefined) ?? 'unknown';
  const message: string =
    (e && typeof e === 'object' ? e.message : typeof e === 'string' ? e : undefined) ?? data?.message ?? statusText;
  const problems: TemplateProblem[] = [];
  if (Array.isArray(data?.errors))
    for (const p of data.errors) problems.push({ line: num(p?.line), column: num(p?.column), message: String(p?.message ?? '') });
  else {
    const line = num(e?.line) ?? num(data?.line);
    const column = num(e?.column) ?? num(data?.column);
    if (line !== null) problems.push({ line, column, message });
  }
  return new ReportError(status, code, message, problems);
}

let csrfToken: string | null = null;
/** The session's CSRF token: src/api.ts keeps its copy to itself, so it is
 * learnt here from /auth/session (the answer the shell reads too). */
async function token(): Promise<string | null> {
  if (csrfToken === null) csrfToken = (await get<{ csrf_token?: string }>('/auth/session')).csrf_token ?? null;
  return csrfToken;
}

/** One request to /api/v1@path: the answer as JSON, or as a Blob (a
 * rendered file, a zip) with @file; errors as ReportError. */
async function request<T>(method: string, path: string, body: unknown, file: boolean, signal?: AbortSignal, retried = false): Promise<T> {
  const headers: Record<string, string> = { 'Accept-Language': language() };
  if (!file) headers.Accept = 'application/json';
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') {
    const tk = await token();
    if (tk) headers['X-CSRF-Token'] = tk;
  }
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
    throw new ReportError(0, 'unavailable', (e as Error).message, []);
  }
  if (response.ok && file) {
    const cd = response.headers.get('Content-Disposition') ?? '';
    // filename*= (RFC 6266: the UTF-8 name) wins over the ASCII fallback,
    // wherever each stands in the header
    const star = /filename\*=UTF-8''([^;\s]+)/i.exec(cd);
    const plain = /filename=\s*"?([^";]+)"?/i.exec(cd);
    let name: string | null = plain ? plain[1] : null;
    if (star) {
      try {
        name = decodeURIComponent(star[1]);
      } catch {
        // a broken escape: keep the fallback
      }
    }
    return { blob: await response.blob(), name } as T;
  }
  const text = await response.text();
  let data: any = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (response.ok) return data as T;
  if (response.status === 401) sessionLost();
  /* a session renewed since the token was learnt: learn it again, once */
  if (response.status === 403 && !retried && /csrf/i.test(String(data?.error?.code ?? ''))) {
    csrfToken = null;
    return request<T>(method, path, body, file, signal, true);
  }
  throw errorOf(response.status, response.statusText, data);
}

/** POST @path with @body; the answer as a Blob (a rendered file). */
export const postForFile = (path: string, body: unknown, signal?: AbortSignal) =>
  request<FileAnswer>('POST', path, body, true, signal);
export const getFile = (path: string, signal?: AbortSignal) => request<FileAnswer>('GET', path, undefined, true, signal);
/** A file the server made, with the name its Content-Disposition gives. */
export interface FileAnswer {
  blob: Blob;
  name: string | null;
}
export const render = (req: RenderRequest, signal?: AbortSignal) => postForFile('/reports/render', req, signal);
export const jobResult = (id: string | number, signal?: AbortSignal) =>
  getFile(`/reports/jobs/${encodeURIComponent(String(id))}/result`, signal);
const send = <T>(method: string, path: string, body?: unknown) => request<T>(method, path, body ?? {}, false);

export const listTemplates = (signal?: AbortSignal) => get<TemplateItem[]>('/reports/templates', signal).then(items);
export const getTemplate = (id: string | number, signal?: AbortSignal) =>
  get<Template>(`/reports/templates/${encodeURIComponent(String(id))}`, signal);
export const templateVersions = (id: string | number, signal?: AbortSignal) =>
  get<TemplateVersion[] | { items: TemplateVersion[] }>(
    `/reports/templates/${encodeURIComponent(String(id))}/versions`,
    signal,
  ).then(items);
export const createTemplate = (body: string) => send<TemplateItem>('POST', '/reports/templates', { body });
export const saveTemplate = (id: string | number, body: string, version: number | null) =>
  send<TemplateItem>('PUT', `/reports/templates/${encodeURIComponent(String(id))}`, { body, version });
/** Deletes a stored template with all its versions (204); a system one is 403. */
export const deleteTemplate = (id: string | number) =>
  request<null>('DELETE', `/reports/templates/${encodeURIComponent(String(id))}`, undefined, false);
export const checkTemplate = (body: string) => send<CheckAnswer>('POST', '/reports/templates/check', { body });
export const reportFields = (rows: RowsKind, signal?: AbortSignal) =>
  get<{ fields: string[] }>(`/reports/fields?rows=${rows}`, signal).then((r) => r.fields ?? []);
export const startJob = (req: RenderRequest) => send<Job>('POST', '/reports/jobs', req);
export const jobState = (id: string | number, signal?: AbortSignal) =>
  get<Job>(`/reports/jobs/${encodeURIComponent(String(id))}`, signal);
export const cancelJob = (id: string | number) => send<Job>('POST', `/reports/jobs/${encodeURIComponent(String(id))}/cancel`);

/** A list answer, bare or as {items} (the app's other lists). */
function items<T>(r: T[] | { items: T[] }): T[] {
  return Array.isArray(r) ? r : (r?.items ?? []);
}

/** The archive kinds of a list item ("day hour" or ["day", "hour"]). */
export function kindsOf(item: { kinds?: string[] | string } | undefined): string[] {
  const k = item?.kinds;
  if (Array.isArray(k)) return k;
  return typeof k === 'string' ? k.split(/\s+/).filter(Boolean) : [];
}

/** Saves @blob as @name through a link (the browser's download). */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 60000);
}
