// SPDX-License-Identifier: LGPL-2.1-or-later
// Links and GPRS modem statistics, read-only: the state of each link
// (GET /poll/links) and, per modem, the signal and the sessions and bytes
// of today, yesterday, this month and last month (GET /poll/traffic).
import { get } from '../../api';
import { ErrorMessage, Loading } from '../../components/page';
import { lastServerInfo } from '../../components/status-bar';
import { formatDateTime, formatNumber } from '../../format';
import { useLoad } from '../../hooks';
import { t } from '../../i18n';
import { href } from '../../router';
import { connectionKindLabels } from './connections';
import { byId, connectionTitle, loadConnections } from './lookups';
import type { PollLink } from './services';

interface Period {
  sessions: number;
  failed: number;
  seconds: number;
  bytes_in: number;
  bytes_out: number;
}
interface Traffic {
  connection_id: number;
  identity: string | null;
  address: string | null;
  last_signal_level: number | null;
  firmware: string | null;
  sim_id: string | null;
  today: Period;
  yesterday: Period;
  this_month: Period;
  last_month: Period;
}

const linkStates = (): Record<string, string> => ({
  active: t('being polled'),
  blocked: t('blocked after failures'),
  free: t('not in use'),
});

/** "1,5 KiB" — bytes as a reader takes them in. */
export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  if (n < 1024) return t('{n} B', { n: formatNumber(n) });
  if (n < 1024 * 1024) return t('{n} KiB', { n: formatNumber(n / 1024, 1) });
  return t('{n} MiB', { n: formatNumber(n / 1024 / 1024, 1) });
}

export function TrafficArea() {
  const zone = lastServerInfo()?.time_zone;
  const data = useLoad(async (signal) => {
    const [links, traffic, connections] = await Promise.all([
      get<PollLink[]>('/poll/links', signal),
      get<Traffic[]>(`/poll/traffic${zone ? `?zone=${encodeURIComponent(zone)}` : ''}`, signal),
      loadConnections(signal),
    ]);
    return { links, traffic, connections: byId(connections) };
  }, []);
  if (data.error) return <ErrorMessage error={data.error} />;
  if (!data.data) return <Loading />;
  const states = linkStates();
  const kinds = connectionKindLabels();
  const connection = (id: number) => {
    const c = data.data!.connections.get(id);
    return <a href={href(`/admin/connections/${id}`)}>{c ? connectionTitle(c) : `#${id}`}</a>;
  };
  const periods: [keyof Traffic, string][] = [
    ['today', t('Today')],
    ['yesterday', t('Yesterday')],
    ['this_month', t('This month')],
    ['last_month', t('Last month')],
  ];
  return (
    <div class="admin-list">
      <h2>{t('Links')}</h2>
      {data.data.links.length === 0 ? (
        <p>{t('No links have points.')}</p>
      ) : (
        <div class="table-wrap">
          <table class="admin-table">
            <thead>
              <tr>
                <th scope="col">{t('Connection')}</th>
                <th scope="col">{t('Kind')}</th>
                <th scope="col">{t('Address')}</th>
                <th scope="col">{t('State')}</th>
                <th scope="col">{t('Service')}</th>
                <th scope="col" class="num">
                  {t('Failures')}
                </th>
                <th scope="col">{t('Last error')}</th>
                <th scope="col" class="num">
                  {t('Jobs queued')}
                </th>
                <th scope="col">{t('Last session')}</th>
              </tr>
            </thead>
            <tbody>
              {data.data.links.map((l) => (
                <tr key={l.connection_id}>
                  <th scope="row">{connection(l.connection_id)}</th>
                  <td>{kinds[l.kind] ?? l.kind}</td>
                  <td>{l.address ?? '—'}</td>
                  <td>
                    {states[l.state] ?? l.state}
                    {l.state === 'blocked' && l.blocked_until ? ` ${t('until {time}', { time: formatDateTime(l.blocked_until, zone) })}` : ''}
                  </td>
                  <td>{l.service ?? '—'}</td>
                  <td class="num">{formatNumber(l.failures)}</td>
                  <td class="wrap">{l.last_error ?? '—'}</td>
                  <td class="num">{formatNumber(l.queued)}</td>
                  <td>{formatDateTime(l.last_session, zone)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>{t('GPRS modem statistics')}</h2>
      {data.data.traffic.length === 0 ? (
        <p>{t('No modem sessions yet.')}</p>
      ) : (
        <div class="table-wrap">
          <table class="admin-table">
            <thead>
              <tr>
                <th scope="col" rowSpan={2}>
                  {t('Modem')}
                </th>
                <th scope="col" rowSpan={2}>
                  {t('Signal, dBm')}
                </th>
                <th scope="col" rowSpan={2}>
                  {t('Firmware / SIM')}
                </th>
                {periods.map(([k, label]) => (
                  <th scope="colgroup" colSpan={3} key={k}>
                    {label}
                  </th>
                ))}
              </tr>
              <tr>
                {periods.map(([k]) => [
                  <th scope="col" class="num" key={`${k}-s`}>
                    {t('Sessions (failed)')}
                  </th>,
                  <th scope="col" class="num" key={`${k}-i`}>
                    {t('Received')}
                  </th>,
                  <th scope="col" class="num" key={`${k}-o`}>
                    {t('Sent')}
                  </th>,
                ])}
              </tr>
            </thead>
            <tbody>
              {data.data.traffic.map((m) => (
                <tr key={m.connection_id}>
                  <th scope="row">{m.identity ?? m.address ?? `#${m.connection_id}`}</th>
                  <td class="num">{formatNumber(m.last_signal_level)}</td>
                  <td>{[m.firmware, m.sim_id].filter(Boolean).join(' / ') || '—'}</td>
                  {periods.map(([k]) => {
                    const p = m[k] as Period;
                    return [
                      <td class="num" key={`${k}-s`}>
                        {formatNumber(p.sessions)} ({formatNumber(p.failed)})
                      </td>,
                      <td class="num" key={`${k}-i`}>
                        {formatBytes(p.bytes_in)}
                      </td>,
                      <td class="num" key={`${k}-o`}>
                        {formatBytes(p.bytes_out)}
                      </td>,
                    ];
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
