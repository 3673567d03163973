// SPDX-License-Identifier: LGPL-2.1-or-later
// The mark on data shown from the last answer kept for offline use.
import { formatDateTime } from '../format';
import { t } from '../i18n';

export function OfflineNote(props: { offline: boolean; storedAt: string | null }) {
  if (!props.offline) return null;
  return (
    <p class="offline-note" role="status">
      {props.storedAt
        ? t('No connection: showing the last data received, {time}.', { time: formatDateTime(props.storedAt) })
        : t('No connection: showing the last data received.')}
    </p>
  );
}
