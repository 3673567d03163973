// SPDX-License-Identifier: LGPL-2.1-or-later
// Hash routes ("#/nodes/12?tab=points"): deep links and the back button
// work, and lersd serves one page. Each page is its own module, loaded when
// first opened (src/routes.ts lists them).
import { useEffect, useState } from 'preact/hooks';

export interface Location {
  path: string; // "/nodes/12"
  query: URLSearchParams;
}

export function currentLocation(): Location {
  const hash = window.location.hash.replace(/^#/, '') || '/';
  const [path, search] = hash.split('?', 2);
  return { path: path.startsWith('/') ? path : '/' + path, query: new URLSearchParams(search ?? '') };
}

/** Goes to @path ("/points/3?kind=day"); @replace keeps history as it is. */
export function navigate(path: string, replace = false): void {
  const target = '#' + path;
  if (replace) window.history.replaceState(null, '', target);
  else window.location.hash = target;
  if (replace) window.dispatchEvent(new HashChangeEvent('hashchange'));
}

/** Changes the query of the current route (a page's filters) in place. */
export function setQuery(params: Record<string, string | null | undefined>): void {
  const loc = currentLocation();
  for (const [k, v] of Object.entries(params)) {
    if (v === null || v === undefined || v === '') loc.query.delete(k);
    else loc.query.set(k, v);
  }
  const q = loc.query.toString();
  navigate(loc.path + (q ? '?' + q : ''), true);
}

export function useLocation(): Location {
  const [loc, setLoc] = useState(currentLocation);
  useEffect(() => {
    const l = () => setLoc(currentLocation());
    window.addEventListener('hashchange', l);
    return () => window.removeEventListener('hashchange', l);
  }, []);
  return loc;
}

/** Matches "/nodes/:id" against "/nodes/12" → { id: "12" }, or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/').filter(Boolean);
  const s = path.split('/').filter(Boolean);
  if (p.length !== s.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(':')) params[p[i].slice(1)] = decodeURIComponent(s[i]);
    else if (p[i] !== s[i]) return null;
  }
  return params;
}

export function href(path: string): string {
  return '#' + path;
}
