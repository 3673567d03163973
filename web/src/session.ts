// SPDX-License-Identifier: LGPL-2.1-or-later
// Who is logged in: the answer of /auth/me, shared by every page.
import { useEffect, useState } from 'preact/hooks';
import { get, post, setCsrfToken } from './api';

export type Role = 'admin' | 'operator' | 'viewer' | 'subscriber';
export interface User {
  id: number;
  login: string;
  display_name?: string | null;
  role: Role;
  language?: string | null;
}
interface Me {
  user: User | null;
  csrf_token?: string;
  scopes?: { kind: string; id: number; title: string }[];
}

let user: User | null = null;
const listeners = new Set<() => void>();
function changed() {
  for (const l of listeners) l();
}

export function currentUser(): User | null {
  return user;
}

export function isStaff(u: User | null = user): boolean {
  return u !== null && u.role !== 'subscriber';
}
/** May change the objects, start reads (operators and administrators). */
export function canOperate(u: User | null = user): boolean {
  return u !== null && (u.role === 'admin' || u.role === 'operator');
}
export function isAdmin(u: User | null = user): boolean {
  return u !== null && u.role === 'admin';
}

/** Asks the server who we are; null when not logged in (/auth/session
 * answers 200 either way, so an anonymous visit logs no error). */
export async function refreshSession(): Promise<User | null> {
  try {
    const me = await get<Me>('/auth/session');
    setCsrfToken(me.csrf_token);
    user = me.user;
  } catch {
    user = null;
  }
  changed();
  return user;
}

/** The answers the service worker keeps for offline use are one user's:
 * forgotten whenever a session begins or ends. */
function forgetOfflineData(): void {
  navigator.serviceWorker?.controller?.postMessage('logout');
}

export async function login(loginName: string, password: string): Promise<User> {
  forgetOfflineData();
  const r = await post<{ user: User; csrf_token: string }>('/auth/login', { login: loginName, password });
  setCsrfToken(r.csrf_token);
  user = r.user;
  changed();
  return r.user;
}

export async function logout(): Promise<void> {
  try {
    await post('/auth/logout');
  } finally {
    forgetOfflineData();
    setCsrfToken(null);
    user = null;
    changed();
  }
}

export async function changePassword(oldPassword: string, newPassword: string): Promise<void> {
  const r = await post<{ user: User; csrf_token?: string }>('/auth/password', { old: oldPassword, new: newPassword });
  if (r.csrf_token) setCsrfToken(r.csrf_token);
}

/** Called when the server said 401: the login form comes back. */
export function sessionLost(): void {
  if (user === null) return;
  forgetOfflineData();
  user = null;
  changed();
}

export function useUser(): User | null {
  const [, force] = useState(0);
  useEffect(() => {
    const l = () => force((n) => n + 1);
    listeners.add(l);
    return () => {
      listeners.delete(l);
    };
  }, []);
  return user;
}
