// SPDX-License-Identifier: LGPL-2.1-or-later
// What the map, the summary of current values and the incidents page share:
// the nodes the user sees with their time zones, node and point states,
// the units of values as people write them.
import { get, getAll } from '../api';
import { lastServerInfo, loadServerInfo } from '../components/status-bar';
import { t } from '../i18n';
import { isStaff } from '../session';

export interface NodeItem {
  id: number;
  title: string | null;
  address: string | null;
  number: string | null;
  latitude: number | null;
  longitude: number | null;
  groups: string[] | null;
  territory_id: number | null;
}
export interface Territory {
  id: number;
  title: string;
  parent_id: number | null;
  time_zone: string | null;
}
export interface Group {
  id: number;
  title: string;
}
export interface PointItem {
  id: number;
  node_id: number;
  title: string | null;
  resource: string;
}
export type StateName = 'unknown' | 'normal' | 'warning' | 'critical';
export interface Problem {
  point_id: number;
  code: string;
  message: string;
}
export interface NodeState {
  node_id: number;
  state: StateName;
  last_reading: string | null;
  problems: Problem[];
}
export interface PointState extends Omit<NodeState, 'node_id'> {
  point_id: number;
  node_id: number;
}

export const STATES: StateName[] = ['unknown', 'normal', 'warning', 'critical'];

export function stateLabel(s: StateName): string {
  switch (s) {
    case 'normal':
      return t('normal');
    case 'warning':
      return t('warning');
    case 'critical':
      return t('critical');
    default:
      return t('unknown');
  }
}

export { unitLabel } from '../units';

export function resourceLabel(r: string): string {
  switch (r) {
    case 'heat':
      return t('heat');
    case 'hot-water':
      return t('hot water');
    case 'cold-water':
      return t('cold water');
    case 'gas':
      return t('gas');
    case 'electricity':
      return t('electricity');
    case 'steam':
      return t('steam');
    default:
      return r;
  }
}

/**
 * An IANA-style zone for the offset a time of the API carries
 * ("…+05:00" → "Etc/GMT-5"): the node's local time when its zone's name is
 * not known (subscribers do not read territories).
 */
export function zoneOfTime(iso: string | null | undefined): string | undefined {
  if (!iso) return undefined;
  if (/Z$/.test(iso)) return 'UTC';
  const m = /([+-])(\d\d):(\d\d)$/.exec(iso);
  if (!m) return undefined;
  const h = Number(m[2]);
  if (m[3] === '00') return h === 0 ? 'UTC' : `Etc/GMT${m[1] === '+' ? '-' : '+'}${h}`;
  return `${m[1]}${m[2]}:${m[3]}`;
}

export interface NodesInfo {
  nodes: NodeItem[];
  byId: Map<number, NodeItem>;
  /** node id → its IANA zone (its territory's or a parent's, else the server's) */
  zones: Map<number, string>;
  groups: Group[];
  territories: Territory[];
}

/** The nodes the user sees, their zones and (for staff) the groups. */
export async function loadNodesInfo(signal?: AbortSignal): Promise<NodesInfo> {
  const staff = isStaff();
  const [nodes, territories, groups, server] = await Promise.all([
    getAll<NodeItem>('/nodes?order=title', 100000, signal),
    staff ? getAll<Territory>('/territories', 100000, signal).catch(() => [] as Territory[]) : Promise.resolve([]),
    staff ? getAll<Group>('/groups?order=title', 10000, signal).catch(() => [] as Group[]) : Promise.resolve([]),
    lastServerInfo() ? Promise.resolve(lastServerInfo()) : loadServerInfo().catch(() => null),
  ]);
  const tById = new Map(territories.map((x) => [x.id, x]));
  const zoneOfTerritory = (id: number | null): string | undefined => {
    for (let depth = 0; id !== null && depth < 32; depth++) {
      const ter = tById.get(id);
      if (!ter) return undefined;
      if (ter.time_zone) return ter.time_zone;
      id = ter.parent_id;
    }
    return undefined;
  };
  const zones = new Map<number, string>();
  for (const n of nodes) {
    const z = zoneOfTerritory(n.territory_id) ?? (staff ? server?.time_zone : undefined);
    if (z) zones.set(n.id, z);
  }
  return { nodes, byId: new Map(nodes.map((n) => [n.id, n])), zones, groups, territories };
}

/** The zone to show a time of @nodeId in: known, else from the time's offset. */
export function zoneFor(info: NodesInfo | undefined, nodeId: number, time?: string | null): string | undefined {
  return info?.zones.get(nodeId) ?? zoneOfTime(time) ?? lastServerInfo()?.time_zone;
}

export async function loadNodeStates(signal?: AbortSignal): Promise<NodeState[]> {
  return (await get<{ items: NodeState[] }>('/nodes/states', signal)).items;
}
export async function loadPointStates(signal?: AbortSignal): Promise<PointState[]> {
  return (await get<{ items: PointState[] }>('/points/states', signal)).items;
}

/** Node title for people: its title, else its number, else "#id". */
export function nodeTitle(n: NodeItem | undefined, id: number): string {
  return n?.title || n?.number || `#${id}`;
}
