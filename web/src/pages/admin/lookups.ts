// SPDX-License-Identifier: LGPL-2.1-or-later
// The objects the administration's forms choose from, and their types as
// the API shows them (docs/api.md, the OpenAPI document).
import { getAll } from '../../api';
import type { Option } from '../../components/form';
import { t } from '../../i18n';
import { optional } from './resource';

export interface Territory {
  id: number;
  title: string | null;
  parent_id: number | null;
  time_zone: string | null;
  [m: string]: unknown;
}
export interface NodeGroup {
  id: number;
  title: string;
  comment: string | null;
  [m: string]: unknown;
}
export interface LersNode {
  id: number;
  title: string | null;
  address: string | null;
  number: string | null;
  node_type: string;
  latitude: number | null;
  longitude: number | null;
  customer: string | null;
  contract: string | null;
  temperature_schedule: string | null;
  comment: string | null;
  groups: string[];
  territory_id: number | null;
  [m: string]: unknown;
}
export interface Point {
  id: number;
  node_id: number | null;
  title: string | null;
  resource: string;
  device_id: number | null;
  channel: number;
  poll_interval: number;
  poll_offset: number;
  reporting_hour: number;
  reporting_day: number;
  [m: string]: unknown;
}
export interface Device {
  id: number;
  protocol: string | null;
  model: string | null;
  serial_number: string | null;
  network_address: string | null;
  calibration_date: string | null;
  calibration_interval: number;
  connection_id: number | null;
  clock_zone: string | null;
  options: string | null;
  [m: string]: unknown;
}
export interface Connection {
  id: number;
  title: string | null;
  kind: string;
  host: string | null;
  port: number;
  serial_port: string | null;
  phone_number: string | null;
  identity: string | null;
  [m: string]: unknown;
}

export const loadTerritories = (signal?: AbortSignal) =>
  optional(getAll<Territory>('/territories?order=title', 100000, signal));
export const loadGroups = (signal?: AbortSignal) => optional(getAll<NodeGroup>('/groups?order=title', 100000, signal));
export const loadNodes = (signal?: AbortSignal) => optional(getAll<LersNode>('/nodes?order=title', 100000, signal));
export const loadPoints = (signal?: AbortSignal) => optional(getAll<Point>('/points?order=title', 100000, signal));
export const loadDevices = (signal?: AbortSignal) => optional(getAll<Device>('/devices', 100000, signal));
export const loadConnections = (signal?: AbortSignal) =>
  optional(getAll<Connection>('/connections?order=title', 100000, signal));

export const territoryTitle = (x: Territory) => x.title || `#${x.id}`;
export const nodeTitle = (x: LersNode) => x.title || `#${x.id}`;
export const deviceTitle = (d: Device) =>
  [d.model || d.protocol || t('Device'), d.serial_number ? `№ ${d.serial_number}` : `#${d.id}`].join(' ');
export const connectionTitle = (c: Connection) =>
  c.title || [c.kind, c.host ? `${c.host}:${c.port}` : c.serial_port || c.phone_number || c.identity].filter(Boolean).join(' ');

export function options<X extends { id: number }>(items: X[], label: (x: X) => string): Option[] {
  return items.map((x) => ({ value: String(x.id), label: label(x) }));
}

export function byId<X extends { id: number }>(items: X[]): Map<number, X> {
  return new Map(items.map((x) => [x.id, x]));
}

/** The IANA zones the browser knows, for time zone choices. */
export function timeZones(): string[] {
  try {
    const zones = Intl.supportedValuesOf('timeZone');
    return zones.includes('UTC') ? zones : [...zones, 'UTC'];
  } catch {
    return ['Europe/Kaliningrad', 'Europe/Moscow', 'Europe/Samara', 'Asia/Yekaterinburg', 'Asia/Omsk',
      'Asia/Novosibirsk', 'Asia/Krasnoyarsk', 'Asia/Irkutsk', 'Asia/Yakutsk', 'Asia/Vladivostok',
      'Asia/Magadan', 'Asia/Kamchatka', 'UTC'];
  }
}

/** A node's zone: its territory's (or a parent's), else undefined (the server's). */
export function nodeZone(node: LersNode | undefined, territories: Map<number, Territory>): string | undefined {
  let id = node?.territory_id ?? null;
  for (let depth = 0; id !== null && depth < 32; depth++) {
    const tr = territories.get(id);
    if (!tr) return undefined;
    if (tr.time_zone) return tr.time_zone;
    id = tr.parent_id;
  }
  return undefined;
}

export const resourceLabels = (): Record<string, string> => ({
  heat: t('heat'),
  'hot-water': t('hot water'),
  'cold-water': t('cold water'),
  gas: t('gas'),
  electricity: t('electricity'),
  steam: t('steam'),
});

export const nodeTypeLabels = (): Record<string, string> => ({
  node: t('metering object'),
  house: t('house'),
  'power-source': t('power source'),
});

export const roleLabels = (): Record<string, string> => ({
  admin: t('administrator'),
  operator: t('operator'),
  viewer: t('viewer'),
  subscriber: t('subscriber'),
});

export function enumOptions(labels: Record<string, string>): Option[] {
  return Object.entries(labels).map(([value, label]) => ({ value, label }));
}
