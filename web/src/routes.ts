// SPDX-License-Identifier: LGPL-2.1-or-later
// Every page of the application: its path, who may open it, and its module
// (loaded on first use, so the first load stays small).
import type { ComponentType } from 'preact';
import type { User } from './session';
import { canOperate, isStaff } from './session';

export interface PageProps {
  params: Record<string, string>;
  query: URLSearchParams;
}
export interface Route {
  pattern: string;
  /** The navigation section it belongs to (highlighted in the menu). */
  section: string;
  allowed?: (u: User) => boolean;
  load: () => Promise<{ default: ComponentType<PageProps> }>;
}

const staff = (u: User) => isStaff(u);
const operate = (u: User) => canOperate(u);


export const routes: Route[] = [
  { pattern: '/nodes', section: 'nodes', load: () => import('./pages/nodes') },
  { pattern: '/nodes/:id', section: 'nodes', load: () => import('./pages/node') },
  { pattern: '/points', section: 'points', load: () => import('./pages/points') },
  { pattern: '/points/:id', section: 'points', load: () => import('./pages/point') },
  { pattern: '/incidents', section: 'incidents', load: () => import('./pages/incidents') },
  { pattern: '/map', section: 'map', load: () => import('./pages/map') },
  { pattern: '/diagrams', section: 'diagrams', load: () => import('./pages/diagrams') },
  { pattern: '/diagrams/new', section: 'diagrams', allowed: operate, load: () => import('./pages/diagram-editor') },
  { pattern: '/diagrams/:id', section: 'diagrams', load: () => import('./pages/diagram') },
  { pattern: '/diagrams/:id/edit', section: 'diagrams', allowed: operate, load: () => import('./pages/diagram-editor') },
  { pattern: '/reports', section: 'reports', load: () => import('./pages/reports') },
  { pattern: '/report-templates', section: 'reports', allowed: operate, load: () => import('./pages/report-editor') },
  { pattern: '/report-templates/:id', section: 'reports', allowed: operate, load: () => import('./pages/report-editor') },
  { pattern: '/current', section: 'current', load: () => import('./pages/current') },
  { pattern: '/poll', section: 'poll', allowed: staff, load: () => import('./pages/poll') },
  { pattern: '/admin', section: 'admin', allowed: staff, load: () => import('./pages/admin') },
  { pattern: '/admin/:area', section: 'admin', allowed: staff, load: () => import('./pages/admin') },
  { pattern: '/admin/:area/:id', section: 'admin', allowed: staff, load: () => import('./pages/admin') },
  { pattern: '/account', section: 'account', load: () => import('./pages/account') },
];


/** The navigation as operators know it (ЛЭРС УЧЁТ's sections). */
export interface Section {
  id: string;
  path: string;
  label: string; // English msgid, shown through t()
  allowed?: (u: User) => boolean;
}
