// SPDX-License-Identifier: LGPL-2.1-or-later
// Administration (#/admin/:area, #/admin/:area/:id): users and rights,
// node groups, territories, nodes, points, devices, connections, polling
// schedules, polling services, links and modem statistics. Administrators
// change everything; operators what the API lets them (objects, devices,
// connections, schedules); viewers read; subscribers never get here (the
// shell refuses, the API answers 403).
import type { JSX } from 'preact';
import { Page } from '../components/page';
import { t } from '../i18n';
import { href } from '../router';
import type { PageProps } from '../routes';
import type { User } from '../session';
import { isAdmin, isStaff, useUser } from '../session';
import { connectionsSpec } from './admin/connections';
import { devicesSpec } from './admin/devices';
import { groupsSpec } from './admin/groups';
import { nodesSpec } from './admin/nodes';
import { pointsSpec } from './admin/points';
import type { ResourceSpec, Row } from './admin/resource';
import { ResourceArea } from './admin/resource';
import { SchedulesArea } from './admin/schedules';
import { ServicesArea } from './admin/services';
import { territoriesSpec } from './admin/territories';
import { TrafficArea } from './admin/traffic';
import { usersSpec } from './admin/users';

interface Area {
  id: string;
  label: string;
  description: string;
  allowed: (u: User | null) => boolean;
  render: (id: string | undefined, query: URLSearchParams) => JSX.Element;
}

function resource<T extends Row, C>(spec: () => ResourceSpec<T, C>) {
  return (id: string | undefined, query: URLSearchParams) => (
    <ResourceArea key={id ?? ''} spec={spec()} id={id} query={query} />
  );
}

function areas(): Area[] {
  return [
    {
      id: 'users',
      label: t('Users'),
      description: t('Logins, roles, passwords and the nodes each user sees.'),
      allowed: isAdmin,
      render: resource(usersSpec),
    },
    {
      id: 'groups',
      label: t('Node groups'),
      description: t('Groups of metering objects and their members.'),
      allowed: isStaff,
      render: resource(groupsSpec),
    },
    {
      id: 'territories',
      label: t('Territories'),
      description: t('Territories and their time zones.'),
      allowed: isStaff,
      render: resource(territoriesSpec),
    },
    {
      id: 'nodes',
      label: t('Metering objects'),
      description: t('Addresses, coordinates, customers and groups of the objects.'),
      allowed: isStaff,
      render: resource(nodesSpec),
    },
    {
      id: 'points',
      label: t('Measure points'),
      description: t('Resources, devices and polling of the points.'),
      allowed: isStaff,
      render: resource(pointsSpec),
    },
    {
      id: 'devices',
      label: t('Metering devices'),
      description: t('Meters: protocol, serial number, address, calibration.'),
      allowed: isStaff,
      render: resource(devicesSpec),
    },
    {
      id: 'connections',
      label: t('Connections'),
      description: t('TCP, GPRS, serial and modem lines to the meters.'),
      allowed: isStaff,
      render: resource(connectionsSpec),
    },
    {
      id: 'schedules',
      label: t('Schedules'),
      description: t('When each point is polled, per archive.'),
      allowed: isStaff,
      render: (id) => <SchedulesArea key={id ?? ''} id={id} />,
    },
    {
      id: 'services',
      label: t('Polling services'),
      description: t('Running services; authorise new ones.'),
      allowed: isStaff,
      render: () => <ServicesArea />,
    },
    {
      id: 'traffic',
      label: t('Links and GPRS traffic'),
      description: t('The state of each link; sessions and bytes of the modems.'),
      allowed: isStaff,
      render: () => <TrafficArea />,
    },
  ];
}

export default function AdminPage(props: PageProps) {
  const user = useUser();
  const visible = areas().filter((a) => a.allowed(user));
  const area = visible.find((a) => a.id === props.params.area);
  const title = area ? `${t('Administration')}: ${area.label}` : t('Administration');
  return (
    <Page title={title}>
      <nav class="admin-nav" aria-label={t('Administration sections')}>
        <ul>
          {visible.map((a) => (
            <li key={a.id}>
              <a href={href(`/admin/${a.id}`)} aria-current={a.id === area?.id ? 'page' : undefined}>
                {a.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {area ? (
        area.render(props.params.id, props.query)
      ) : props.params.area ? (
        <p class="error" role="alert">
          {t('No such section, or you have no access to it.')}
        </p>
      ) : (
        <dl class="admin-index">
          {visible.map((a) => (
            <div key={a.id}>
              <dt>
                <a href={href(`/admin/${a.id}`)}>{a.label}</a>
              </dt>
              <dd>{a.description}</dd>
            </div>
          ))}
        </dl>
      )}
    </Page>
  );
}
