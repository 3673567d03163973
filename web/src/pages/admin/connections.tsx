// SPDX-License-Identifier: LGPL-2.1-or-later
// Connections (линии связи): TCP, a GPRS modem calling in, a serial port
// or a dial-up modem; the form shows the settings of the chosen kind.
import { t } from '../../i18n';
import { canOperate } from '../../session';
import type { FormValues } from '../../components/form';
import type { Connection } from './lookups';
import { connectionTitle } from './lookups';
import type { ResourceSpec } from './resource';

export const connectionKindLabels = (): Record<string, string> => ({
  'tcp-client': t('TCP/IP (the server connects)'),
  'gprs-server': t('GPRS (the modem connects to the server)'),
  serial: t('Serial port'),
  modem: t('Dial-up modem'),
});

const is =
  (...kinds: string[]) =>
  (v: FormValues) =>
    kinds.includes(v.kind as string);

export function connectionsSpec(): ResourceSpec<Connection, null> {
  return {
    area: 'connections',
    path: '/connections',
    order: 'title',
    title: t('Connections'),
    newTitle: t('New connection'),
    name: connectionTitle,
    columns: () => {
      const kinds = connectionKindLabels();
      return [
        { title: t('Title'), value: connectionTitle },
        { title: t('Kind'), value: (r) => kinds[r.kind] ?? r.kind },
        {
          title: t('Address'),
          value: (r) =>
            r.kind === 'tcp-client'
              ? `${r.host ?? ''}:${r.port}`
              : r.kind === 'serial'
                ? r.serial_port
                : r.kind === 'modem'
                  ? r.phone_number
                  : r.identity,
        },
      ];
    },
    context: async () => null,
    fields: () => [
      { name: 'title', label: t('Title'), maxLength: 200 },
      {
        name: 'kind',
        label: t('Kind'),
        kind: 'select',
        required: true,
        options: Object.entries(connectionKindLabels()).map(([value, label]) => ({ value, label })),
      },
      { name: 'host', label: t('Host'), required: true, maxLength: 255, visible: is('tcp-client') },
      { name: 'port', label: t('TCP port'), kind: 'integer', required: true, min: 1, max: 65535, visible: is('tcp-client') },
      {
        name: 'identity',
        label: t('Modem identity'),
        required: true,
        maxLength: 100,
        hint: t('What the modem sends first when it connects (its IMEI or a configured string).'),
        visible: is('gprs-server'),
      },
      { name: 'handshake', label: t('Handshake'), maxLength: 200, visible: is('gprs-server') },
      { name: 'serial_port', label: t('Serial port'), required: true, maxLength: 200, hint: '/dev/ttyUSB0', visible: is('serial', 'modem') },
      {
        name: 'baud_rate',
        numeric: true,
        label: t('Baud rate'),
        kind: 'select',
        options: ['300', '600', '1200', '2400', '4800', '9600', '19200', '38400', '57600', '115200'].map((b) => ({ value: b, label: b })),
        visible: is('serial', 'modem'),
      },
      {
        name: 'data_bits',
        numeric: true,
        label: t('Data bits'),
        kind: 'select',
        options: ['5', '6', '7', '8'].map((b) => ({ value: b, label: b })),
        visible: is('serial', 'modem'),
      },
      {
        name: 'parity',
        label: t('Parity'),
        kind: 'select',
        options: [
          { value: 'none', label: t('none') },
          { value: 'even', label: t('even') },
          { value: 'odd', label: t('odd') },
        ],
        visible: is('serial', 'modem'),
      },
      {
        name: 'stop_bits',
        numeric: true,
        label: t('Stop bits'),
        kind: 'select',
        options: ['1', '2'].map((b) => ({ value: b, label: b })),
        visible: is('serial', 'modem'),
      },
      {
        name: 'flow_control',
        label: t('Flow control'),
        kind: 'select',
        options: [
          { value: 'none', label: t('none') },
          { value: 'hardware', label: t('hardware (RTS/CTS)') },
          { value: 'software', label: t('software (XON/XOFF)') },
        ],
        visible: is('serial', 'modem'),
      },
      { name: 'phone_number', label: t('Phone number'), required: true, pattern: /^\+?[\d\s()-]{3,32}$/, patternMessage: t('Digits, spaces, brackets and dashes, e.g. +7 343 123-45-67.'), visible: is('modem') },
      { name: 'modem_init', label: t('Modem initialisation string'), maxLength: 200, visible: is('modem') },
      { name: 'timeout', label: t('Connect timeout, s'), kind: 'integer', min: 0, max: 86400, hint: t("0: the link's default.") },
      { name: 'answer_timeout_ms', label: t('Answer timeout, ms'), kind: 'integer', min: 0, max: 86400000 },
      { name: 'first_byte_timeout_ms', label: t('First byte timeout, ms'), kind: 'integer', min: 0, max: 86400000 },
      { name: 'inter_byte_timeout_ms', label: t('Inter-byte timeout, ms'), kind: 'integer', min: 0, max: 86400000 },
      { name: 'retries', label: t('Retries'), kind: 'integer', min: -1, max: 100, hint: t('-1: the default.') },
    ],
    canWrite: canOperate,
  };
}
