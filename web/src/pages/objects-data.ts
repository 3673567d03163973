// SPDX-License-Identifier: LGPL-2.1-or-later
// What the objects list, the points list and the node page share: the
// shapes of the API's nodes, points, territories and states, the time zone
// a node's times are shown in, and the words for states and resources.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Page as ListPage } from '../api';
import { get, getAll, getAnswer } from '../api';
import { t } from '../i18n';
import { setQuery } from '../router';
import { isStaff } from '../session';

export interface Node {
  id: number;
  title: string;
  address: string | null;
  number: string | null;
  node_type: string;
  latitude: number | null;
  longitude: number | null;
  customer: string | null;
  contract: string | null;
  temperature_schedule: string | null;
  comment: string | null;
  groups: string[] | null;
  territory_id: number | null;
}

export interface Point {
  id: number;
  node_id: number;
  title: string;
  resource: string;
  device_id: number | null;
  channel: number | null;
  poll_interval: number | null;
  poll_offset: number | null;
  reporting_hour: number | null;
  reporting_day: number | null;
}

export interface Device {
  id: number;
  protocol: string;
  model: string | null;
  serial_number: string | null;
  network_address: string | null;
  calibration_date: string | null;
  calibration_interval: number | null;
  connection_id: number | null;
  clock_zone: string | null;
}

export interface Connection {
  id: number;
  title: string;
  kind: string;
}

export interface MeterEvent {
  id: number;
  point_id: number;
  device_id: number | null;
  channel: number | null;
  code: string;
  device_code: number | null;
  text: string | null;
  start: string;
  end: string | null;
  severity: 'info' | 'warning' | 'alarm';
}

export interface Territory {
  id: number;
  title: string;
  parent_id: number | null;
  time_zone: string | null;
}

export type State = 'unknown' | 'normal' | 'warning' | 'critical';
export interface Problem {
  point_id: number;
  code: string;
  message: string;
}
export interface NodeState {
  node_id: number;
  state: State;
  last_reading: string | null;
  problems: Problem[];
}
export interface PointState extends NodeState {
  point_id: number;
}

/** Every item of a list, and whether any page of it came from the offline copy (and when it was stored). */
export async function getAllAnswer<T>(
  path: string,
  signal?: AbortSignal,
): Promise<{ items: T[]; offline: boolean; storedAt: string | null }> {
  const items: T[] = [];
  const sep = path.includes('?') ? '&' : '?';
  let after: string | null = null;
  let offline = false;
  let storedAt: string | null = null;
  do {
    const a: { data: ListPage<T>; offline: boolean; storedAt: string | null } = await getAnswer<ListPage<T>>(
      `${path}${sep}limit=1000${after ? '&after=' + encodeURIComponent(after) : ''}`,
      signal,
    );
    items.push(...a.data.items);
    if (a.offline) {
      offline = true;
      if (a.storedAt && (!storedAt || a.storedAt < storedAt)) storedAt = a.storedAt;
    }
    after = a.data.next;
  } while (after);
  return { items, offline, storedAt };
}

/** Territories (staff only: a subscriber gets none, and times fall back to the offset the server wrote). */
export async function loadTerritories(signal?: AbortSignal): Promise<Territory[]> {
  if (!isStaff()) return [];
  try {
    return await getAll<Territory>('/territories', 100000, signal);
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    return [];
  }
}

/** The states of every node (or point) seen, by id; empty when the server has none to give. */
export async function loadStates<S extends NodeState>(what: 'nodes' | 'points', signal?: AbortSignal): Promise<Map<number, S>> {
  const map = new Map<number, S>();
  try {
    const r = await get<{ items: S[] }>(`/${what}/states`, signal);
    for (const s of r.items ?? []) map.set(what === 'nodes' ? s.node_id : (s as unknown as PointState).point_id, s);
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
  }
  return map;
}

/** The territory's IANA zone, inherited from its parents when not set. */
export function territoryZones(territories: Territory[]): Map<number, string | undefined> {
  const byId = new Map(territories.map((x) => [x.id, x]));
  const out = new Map<number, string | undefined>();
  for (const terr of territories) {
    let cur: Territory | undefined = terr;
    const seen = new Set<number>();
    while (cur && !cur.time_zone && cur.parent_id !== null && !seen.has(cur.id)) {
      seen.add(cur.id);
      cur = byId.get(cur.parent_id);
    }
    out.set(terr.id, cur?.time_zone ?? undefined);
  }
  return out;
}

/** "+05:00" of an ISO time the server wrote in the node's zone ("Z": UTC). */
export function offsetOf(iso: string | null | undefined): string | undefined {
  if (!iso) return undefined;
  const m = /(Z|[+-]\d\d:\d\d)$/.exec(iso);
  if (!m) return undefined;
  return m[1] === 'Z' ? 'UTC' : m[1];
}

export function stateText(s: State | undefined): string {
  switch (s) {
    case 'normal':
      return t('Normal');
    case 'warning':
      return t('Warning');
    case 'critical':
      return t('Critical');
    default:
      return t('Unknown');
  }
}

/** Order of states for sorting: the worst first when descending. */
export function stateRank(s: State | undefined): number {
  return s === 'critical' ? 3 : s === 'warning' ? 2 : s === 'normal' ? 1 : 0;
}

export function resourceText(r: string | null | undefined): string {
  switch (r) {
    case 'heat':
      return t('Heat');
    case 'hot-water':
      return t('Hot water');
    case 'cold-water':
      return t('Cold water');
    case 'gas':
      return t('Gas');
    case 'electricity':
      return t('Electricity');
    case 'steam':
      return t('Steam');
    default:
      return r ?? '';
  }
}

export function nodeTypeText(k: string | null | undefined): string {
  switch (k) {
    case 'house':
      return t('Residential building');
    case 'power-source':
      return t('Heat source');
    case 'node':
      return t('Metering object');
    default:
      return k ?? '';
  }
}

/** Keeps a text in the query a moment after the last keystroke (not on each one). */
export function useQueryText(name: string, initial: string): [string, (v: string) => void] {
  const [value, setValue] = useState(initial);
  const timer = useRef(0);
  useEffect(() => () => window.clearTimeout(timer.current), []);
  return [
    value,
    (v: string) => {
      setValue(v);
      window.clearTimeout(timer.current);
      timer.current = window.setTimeout(() => setQuery({ [name]: v }), 400);
    },
  ];
}


export function deviceText(d: Device | undefined, id: number | null): string {
  if (d) return [d.model, d.serial_number ? `№ ${d.serial_number}` : null].filter(Boolean).join(' ') || `#${d.id}`;
  return id !== null ? `#${id}` : '';
}

