// SPDX-License-Identifier: LGPL-2.1-or-later
// The status bar of ЛЭРС УЧЁТ's workstation: "Служб опроса: 2; портов: 8,
// действует: 8, свободно: 8", the server we are connected to and its time.
import { useEffect, useState } from 'preact/hooks';
import { get } from '../api';
import { formatDateTime } from '../format';
import { useInterval } from '../hooks';
import { t } from '../i18n';

export interface ServerInfo {
  name: string;
  version: string;
  time: string;
  time_zone: string;
  map?: { tile_url: string; attribution: string };
  polling?: {
    services: number;
    services_authorised: number;
    ports: number;
    ports_active: number;
    ports_free: number;
    jobs_queued: number;
  };
}

let serverInfo: ServerInfo | null = null;
/** The last answer of /server (the map reads its tile URL from it). */
export async function loadServerInfo(): Promise<ServerInfo> {
  serverInfo = await get<ServerInfo>('/server');
  return serverInfo;
}
export function lastServerInfo(): ServerInfo | null {
  return serverInfo;
}

export function StatusBar() {
  const [info, setInfo] = useState<ServerInfo | null>(serverInfo);
  const [offset, setOffset] = useState(0); // server clock − browser clock, ms
  const [online, setOnline] = useState(true);
  const [, tick] = useState(0);
  const refresh = () =>
    loadServerInfo()
      .then((i) => {
        setInfo(i);
        setOffset(new Date(i.time).getTime() - Date.now());
        setOnline(true);
      })
      .catch(() => setOnline(false));
  useEffect(() => {
    refresh();
  }, []);
  useInterval(refresh, 30000);
  useInterval(() => tick((n) => n + 1), 1000);
  const p = info?.polling;
  return (
    <footer class="status-bar" aria-label={t('Status bar')}>
      {p && (
        <span class="status-polling">
          {t('Polling services: {n}; ports: {ports}, active: {active}, free: {free}', {
            n: p.services,
            ports: p.ports,
            active: p.ports_active,
            free: p.ports_free,
          })}
        </span>
      )}
      <span class="status-server">
        {online ? t('Server: {name}', { name: info?.name ?? '…' }) : t('No connection to the server')}
      </span>
      {info && (
        <span class="status-time" title={info.time_zone}>
          {formatDateTime(Date.now() + offset, info.time_zone, true)}
        </span>
      )}
    </footer>
  );
}
