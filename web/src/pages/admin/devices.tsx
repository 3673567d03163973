// SPDX-License-Identifier: LGPL-2.1-or-later
// Devices (приборы учёта): protocol, model, serial number, network
// address, the password (write-only: never shown, sent only when typed),
// calibration, the line it is on and its clock's zone.
import { formatDate } from '../../format';
import { t } from '../../i18n';
import { canOperate } from '../../session';
import type { Connection, Device } from './lookups';
import { byId, connectionTitle, deviceTitle, loadConnections, options, timeZones } from './lookups';
import type { ResourceSpec } from './resource';

/**
 * The protocols of the device plugins lersd ships (plugins/devices/*: the
 * plugin's module name is the protocol). The API has no list of loaded
 * plugins yet, so these are suggestions: another name can be typed.
 */
export const KNOWN_PROTOCOLS = ['mbus'];

export function devicesSpec(): ResourceSpec<Device, { connections: Connection[] }> {
  return {
    area: 'devices',
    path: '/devices',
    order: 'serial_number',
    title: t('Metering devices'),
    newTitle: t('New device'),
    name: deviceTitle,
    columns: (ctx) => {
      const connections = byId(ctx.connections);
      return [
        { title: t('Device'), value: deviceTitle },
        { title: t('Protocol'), value: (r) => r.protocol },
        { title: t('Serial number'), value: (r) => r.serial_number },
        { title: t('Network address'), value: (r) => r.network_address },
        {
          title: t('Connection'),
          value: (r) => {
            const c = r.connection_id !== null ? connections.get(r.connection_id) : undefined;
            return c ? connectionTitle(c) : r.connection_id !== null ? `#${r.connection_id}` : null;
          },
        },
        { title: t('Calibration date'), value: (r) => (r.calibration_date ? formatDate(r.calibration_date, 'UTC') : null) },
      ];
    },
    context: async (signal) => ({ connections: await loadConnections(signal) }),
    fields: (ctx) => [
      { name: 'protocol', label: t('Protocol'), required: true, suggestions: KNOWN_PROTOCOLS, maxLength: 100 },
      { name: 'model', label: t('Model'), maxLength: 200 },
      { name: 'serial_number', label: t('Serial number'), maxLength: 100 },
      {
        name: 'network_address',
        label: t('Network address'),
        maxLength: 100,
        hint: t("The device's address on its line (M-Bus primary 0–250 or secondary address)."),
      },
      {
        name: 'password',
        label: t('Device password'),
        kind: 'password',
        writeOnly: true,
        maxLength: 200,
        hint: t('Never shown. Leave empty to keep the one stored.'),
      },
      { name: 'connection_id', label: t('Connection'), kind: 'select', id: true, options: options(ctx.connections, connectionTitle) },
      { name: 'calibration_date', label: t('Calibration date'), kind: 'date' },
      { name: 'calibration_interval', label: t('Calibration interval, months'), kind: 'integer', min: 0, max: 1200 },
      {
        name: 'clock_zone',
        label: t("Time zone of the device's clock"),
        kind: 'select',
        options: timeZones().map((z) => ({ value: z, label: z })),
        hint: t("Empty: the node's zone."),
      },
      {
        name: 'options',
        label: t('Options (JSON object)'),
        kind: 'textarea',
        validate: (v) => {
          if (typeof v !== 'string' || v.trim() === '') return null;
          try {
            const o = JSON.parse(v);
            return o !== null && typeof o === 'object' && !Array.isArray(o) ? null : t('A JSON object: {"key": "value"}.');
          } catch {
            return t('A JSON object: {"key": "value"}.');
          }
        },
      },
    ],
    canWrite: canOperate,
  };
}
