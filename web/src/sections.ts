// SPDX-License-Identifier: LGPL-2.1-or-later
import { t } from './i18n';
import type { Section } from './routes';
import { isStaff } from './session';

/** The menu, in the order of ЛЭРС УЧЁТ's workstation. */
export function sections(): Section[] {
  return [
    { id: 'nodes', path: '/nodes', label: t('Metering objects') },
    { id: 'points', path: '/points', label: t('Measure points') },
    { id: 'incidents', path: '/incidents', label: t('Incidents') },
    { id: 'map', path: '/map', label: t('Map') },
    { id: 'diagrams', path: '/diagrams', label: t('Mnemonic diagrams') },
    { id: 'reports', path: '/reports', label: t('Reports') },
    { id: 'current', path: '/current', label: t('Current values') },
    { id: 'poll', path: '/poll', label: t('Polling'), allowed: isStaff },
    { id: 'admin', path: '/admin', label: t('Administration'), allowed: isStaff },
  ];
}
