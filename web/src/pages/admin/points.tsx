// SPDX-License-Identifier: LGPL-2.1-or-later
// Measure points (точки учёта): the node, the resource, the device and its
// channel, polling; the schedule of each archive kind under the form.
import { t } from '../../i18n';
import { canOperate } from '../../session';
import type { Device, LersNode, Point, Territory } from './lookups';
import {
  byId,
  deviceTitle,
  enumOptions,
  loadDevices,
  loadNodes,
  loadTerritories,
  nodeTitle,
  nodeZone,
  options,
  resourceLabels,
} from './lookups';
import type { ResourceSpec } from './resource';
import { ScheduleEditor } from './schedules';

interface Ctx {
  nodes: LersNode[];
  devices: Device[];
  territories: Territory[];
}

export function pointsSpec(): ResourceSpec<Point, Ctx> {
  return {
    area: 'points',
    path: '/points',
    order: 'title',
    title: t('Measure points'),
    newTitle: t('New measure point'),
    name: (p) => p.title || `#${p.id}`,
    columns: (ctx) => {
      const nodes = byId(ctx.nodes);
      const devices = byId(ctx.devices);
      const resources = resourceLabels();
      return [
        { title: t('Title'), value: (r) => r.title },
        { title: t('Metering object'), value: (r) => (r.node_id !== null ? (nodes.get(r.node_id)?.title ?? `#${r.node_id}`) : null) },
        { title: t('Resource'), value: (r) => resources[r.resource] ?? r.resource },
        {
          title: t('Device'),
          value: (r) => {
            const d = r.device_id !== null ? devices.get(r.device_id) : undefined;
            return d ? deviceTitle(d) : r.device_id !== null ? `#${r.device_id}` : null;
          },
        },
        { title: t('Poll interval, s'), value: (r) => r.poll_interval, num: true },
      ];
    },
    context: async (signal) => {
      const [nodes, devices, territories] = await Promise.all([loadNodes(signal), loadDevices(signal), loadTerritories(signal)]);
      return { nodes, devices, territories };
    },
    fields: (ctx) => [
      { name: 'title', label: t('Title'), required: true, maxLength: 300 },
      { name: 'node_id', label: t('Metering object'), kind: 'select', id: true, required: true, options: options(ctx.nodes, nodeTitle) },
      { name: 'resource', label: t('Resource'), kind: 'select', required: true, options: enumOptions(resourceLabels()) },
      { name: 'device_id', label: t('Device'), kind: 'select', id: true, options: options(ctx.devices, deviceTitle) },
      { name: 'channel', label: t('Channel of the device'), kind: 'integer', min: 0, max: 2147483647 },
      {
        name: 'poll_interval',
        label: t('Poll interval, seconds'),
        kind: 'integer',
        min: 0,
        max: 31622400,
        hint: t('0: not polled on its own interval (the schedule below applies).'),
      },
      { name: 'poll_offset', label: t('Poll offset, seconds'), kind: 'integer', min: 0, max: 31622400 },
      {
        name: 'reporting_hour',
        label: t('Reporting hour'),
        kind: 'integer',
        min: 0,
        max: 23,
        hint: t("The day archive's start, in the node's local time."),
      },
      { name: 'reporting_day', label: t('Reporting day'), kind: 'integer', min: 1, max: 28 },
    ],
    canWrite: canOperate,
    after: (row, ctx, readOnly) => {
      const node = row.node_id !== null ? byId(ctx.nodes).get(row.node_id) : undefined;
      return <ScheduleEditor pointId={row.id} zone={nodeZone(node, byId(ctx.territories))} readOnly={readOnly} />;
    },
  };
}
