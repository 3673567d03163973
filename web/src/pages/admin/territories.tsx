// SPDX-License-Identifier: LGPL-2.1-or-later
// Territories: a tree (parent) with an IANA time zone each; the nodes of a
// territory show their times in its zone.
import { t } from '../../i18n';
import { canOperate } from '../../session';
import type { Territory } from './lookups';
import { byId, loadTerritories, options, territoryTitle, timeZones } from './lookups';
import type { ResourceSpec } from './resource';

export function territoriesSpec(): ResourceSpec<Territory, { territories: Territory[] }> {
  return {
    area: 'territories',
    path: '/territories',
    order: 'title',
    title: t('Territories'),
    newTitle: t('New territory'),
    name: territoryTitle,
    columns: (ctx) => {
      const m = byId(ctx.territories);
      return [
        { title: t('Title'), value: (r) => r.title },
        { title: t('Time zone'), value: (r) => r.time_zone },
        {
          title: t('Parent territory'),
          value: (r) => (r.parent_id !== null ? (m.get(r.parent_id)?.title ?? `#${r.parent_id}`) : null),
        },
      ];
    },
    context: async (signal) => ({ territories: await loadTerritories(signal) }),
    fields: (ctx, row) => [
      { name: 'title', label: t('Title'), required: true, maxLength: 200 },
      {
        name: 'parent_id',
        label: t('Parent territory'),
        kind: 'select',
        id: true,
        // not itself (the server refuses a loop too)
        options: options(
          ctx.territories.filter((x) => x.id !== row?.id),
          territoryTitle,
        ),
      },
      {
        name: 'time_zone',
        label: t('Time zone'),
        kind: 'select',
        required: true,
        options: timeZones().map((z) => ({ value: z, label: z })),
        hint: t('The times of its nodes are shown in this zone.'),
      },
    ],
    canWrite: canOperate,
  };
}

