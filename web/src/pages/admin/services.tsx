// SPDX-License-Identifier: LGPL-2.1-or-later
// Polling services (службы опроса): which are running, authorised, when
// each was last seen and the links it holds; an administrator authorises a
// new service or revokes one (POST /poll/services/{name}/authorise).
import { useState } from 'preact/hooks';
import { get, post } from '../../api';
import { ConfirmButton } from '../../components/form-confirm';
import { ErrorMessage, Loading } from '../../components/page';
import { lastServerInfo } from '../../components/status-bar';
import { formatDateTime, formatNumber } from '../../format';
import { useLoad } from '../../hooks';
import { t } from '../../i18n';
import { isAdmin } from '../../session';

export interface PollService {
  id: number;
  name: string;
  state: string;
  authorised: boolean;
  authorised_at: string | null;
  host: string | null;
  version: string | null;
  pid: number | null;
  max_links: number | null;
  started: string | null;
  heartbeat: string | null;
  stopped: string | null;
  jobs_done: number | null;
  jobs_failed: number | null;
}

export interface PollLink {
  connection_id: number;
  kind: string;
  address: string | null;
  state: string;
  service: string | null;
  lease_until: string | null;
  blocked_until: string | null;
  failures: number;
  last_error: string | null;
  queued: number;
  last_session: string | null;
}

export const serviceStates = (): Record<string, string> => ({
  running: t('is running'),
  pending: t('waiting for authorisation'),
  stopped: t('stopped'),
  dead: t('not answering'),
});

export function ServicesArea() {
  const data = useLoad(async (signal) => {
    const [services, links] = await Promise.all([
      get<PollService[]>('/poll/services', signal),
      get<PollLink[]>('/poll/links', signal).catch(() => [] as PollLink[]),
    ]);
    return { services, links };
  }, []);
  const [changed, setChanged] = useState<Record<string, PollService>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  if (data.error) return <ErrorMessage error={data.error} />;
  if (!data.data) return <Loading />;
  const zone = lastServerInfo()?.time_zone;
  const states = serviceStates();
  const admin = isAdmin();
  const authorise = async (s: PollService, authorised: boolean) => {
    setBusy(s.name);
    setError(null);
    try {
      const answer = await post<PollService>(`/poll/services/${encodeURIComponent(s.name)}/authorise`, { authorised });
      setChanged({ ...changed, [s.name]: answer });
    } catch (e) {
      setError((e as Error).message);
      throw e;
    } finally {
      setBusy(null);
    }
  };
  const services = data.data.services.map((s) => changed[s.name] ?? s);
  return (
    <div class="admin-list">
      <p class="hint">
        {t('A new polling service waits until an administrator authorises it; a revoked one stops taking jobs.')}
      </p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {services.length === 0 && <p>{t('No polling services have registered.')}</p>}
      {services.length > 0 && (
        <div class="table-wrap">
          <table class="admin-table">
            <thead>
              <tr>
                <th scope="col">{t('Service')}</th>
                <th scope="col">{t('State')}</th>
                <th scope="col">{t('Authorised')}</th>
                <th scope="col">{t('Host')}</th>
                <th scope="col">{t('Version')}</th>
                <th scope="col">{t('Last seen')}</th>
                <th scope="col" class="num">
                  {t('Links held')}
                </th>
                <th scope="col" class="num">
                  {t('Jobs done / failed')}
                </th>
                {admin && <th scope="col">{t('Actions')}</th>}
              </tr>
            </thead>
            <tbody>
              {services.map((s) => {
                const held = data.data!.links.filter((l) => l.service === s.name).length;
                return (
                  <tr key={s.name}>
                    <th scope="row">{s.name}</th>
                    <td>
                      <span class={`state service-${s.state}`}>{states[s.state] ?? s.state}</span>
                    </td>
                    <td>
                      {s.authorised
                        ? s.authorised_at
                          ? t('yes, since {time}', { time: formatDateTime(s.authorised_at, zone) })
                          : t('yes')
                        : t('no')}
                    </td>
                    <td>{s.host ?? '—'}</td>
                    <td>{s.version ?? '—'}</td>
                    <td>{formatDateTime(s.heartbeat, zone)}</td>
                    <td class="num">{formatNumber(held)}</td>
                    <td class="num">
                      {formatNumber(s.jobs_done ?? 0)} / {formatNumber(s.jobs_failed ?? 0)}
                    </td>
                    {admin && (
                      <td>
                        {s.authorised ? (
                          <ConfirmButton
                            label={t('Revoke')}
                            question={t('Revoke the service «{name}»? It stops taking jobs.', { name: s.name })}
                            disabled={busy !== null}
                            onConfirm={() => authorise(s, false)}
                          />
                        ) : (
                          <button type="button" class="primary" disabled={busy !== null} onClick={() => authorise(s, true).catch(() => undefined)}>
                            {t('Authorise')}
                          </button>
                        )}
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
