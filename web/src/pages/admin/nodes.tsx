// SPDX-License-Identifier: LGPL-2.1-or-later
// Nodes (объекты учёта): every property, the territory, the coordinates
// (WGS 84) and the groups.
import { formatNumber } from '../../format';
import { t } from '../../i18n';
import { canOperate } from '../../session';
import type { LersNode, NodeGroup, Territory } from './lookups';
import { byId, enumOptions, loadGroups, loadTerritories, nodeTitle, nodeTypeLabels, options, territoryTitle } from './lookups';
import type { ResourceSpec } from './resource';

interface Ctx {
  territories: Territory[];
  groups: NodeGroup[];
}

export function nodesSpec(): ResourceSpec<LersNode, Ctx> {
  return {
    area: 'nodes',
    path: '/nodes',
    order: 'title',
    title: t('Metering objects'),
    newTitle: t('New metering object'),
    name: nodeTitle,
    columns: (ctx) => {
      const territories = byId(ctx.territories);
      const types = nodeTypeLabels();
      return [
        { title: t('Title'), value: (r) => r.title },
        { title: t('Address'), value: (r) => r.address },
        { title: t('Type'), value: (r) => types[r.node_type] ?? r.node_type },
        { title: t('Territory'), value: (r) => (r.territory_id !== null ? (territories.get(r.territory_id)?.title ?? `#${r.territory_id}`) : null) },
        { title: t('Groups'), value: (r) => r.groups.join(', ') },
        {
          title: t('Coordinates'),
          value: (r) => (r.latitude !== null && r.longitude !== null ? `${formatNumber(r.latitude, 5)}; ${formatNumber(r.longitude, 5)}` : null),
        },
      ];
    },
    context: async (signal) => {
      const [territories, groups] = await Promise.all([loadTerritories(signal), loadGroups(signal)]);
      return { territories, groups };
    },
    fields: (ctx) => [
      { name: 'title', label: t('Title'), required: true, maxLength: 300 },
      { name: 'node_type', label: t('Type'), kind: 'select', required: true, options: enumOptions(nodeTypeLabels()) },
      { name: 'address', label: t('Address'), maxLength: 500 },
      { name: 'number', label: t('Number'), maxLength: 100 },
      { name: 'territory_id', label: t('Territory'), kind: 'select', id: true, options: options(ctx.territories, territoryTitle) },
      {
        name: 'latitude',
        label: t('Latitude, degrees'),
        kind: 'number',
        min: -90,
        max: 90,
        hint: t('WGS 84, e.g. 56.8389'),
        validate: (v, all) => (v === '' && all.longitude !== '' ? t('Give both coordinates or neither.') : null),
      },
      {
        name: 'longitude',
        label: t('Longitude, degrees'),
        kind: 'number',
        min: -180,
        max: 180,
        hint: t('WGS 84, e.g. 60.6057'),
        validate: (v, all) => (v === '' && all.latitude !== '' ? t('Give both coordinates or neither.') : null),
      },
      { name: 'customer', label: t('Customer'), maxLength: 300 },
      { name: 'contract', label: t('Contract'), maxLength: 100 },
      { name: 'temperature_schedule', label: t('Temperature schedule'), maxLength: 100 },
      { name: 'comment', label: t('Comment'), kind: 'textarea', maxLength: 2000 },
      {
        name: 'groups',
        label: t('Groups'),
        kind: 'checkboxes',
        options: ctx.groups.map((g) => ({ value: g.title, label: g.title })),
      },
    ],
    canWrite: canOperate,
    prepare: (body, row) => {
      // a new node with the default type unless one was chosen
      if (!row && body.node_type === undefined) body.node_type = 'node';
      return body;
    },
  };
}
