// SPDX-License-Identifier: LGPL-2.1-or-later
// "Read now": a manual read of this point's shown archive and period on the
// poll queue (POST /poll/jobs, docs/api-poll.md), its progress from
// GET /poll/jobs/{id} every second until it ends, and a cancel button.
// Operators and administrators only (the server checks it too).
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, get, post } from '../api';
import { formatNumber } from '../format';
import { t } from '../i18n';

export interface PollJob {
  id: number;
  point_id: number;
  kind: string;
  state: 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
  progress: number;
  message: string | null;
  records: number;
  error: string | null;
  error_code: string | null;
  cancel_requested: boolean;
}

const FINISHED = new Set(['done', 'failed', 'cancelled']);

export function jobStateLabel(state: string): string {
  switch (state) {
    case 'queued':
      return t('queued');
    case 'running':
      return t('running');
    case 'done':
      return t('done');
    case 'failed':
      return t('failed');
    case 'cancelled':
      return t('cancelled');
    default:
      return state;
  }
}

export function ReadNow(props: {
  pointId: number;
  kind: string;
  from: string;
  to: string;
  /** Called once when the read ends (the table reloads). */
  onFinished: (job: PollJob) => void;
}) {
  const [job, setJob] = useState<PollJob | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const finishedRef = useRef(props.onFinished);
  finishedRef.current = props.onFinished;

  const active = job !== null && !FINISHED.has(job.state);
  useEffect(() => {
    if (!job || FINISHED.has(job.state)) return;
    let alive = true;
    const id = window.setTimeout(() => {
      get<PollJob>(`/poll/jobs/${job.id}`)
        .then((j) => {
          if (!alive) return;
          setJob(j);
          if (FINISHED.has(j.state)) finishedRef.current(j);
        })
        .catch((e: Error) => alive && setError(e.message));
    }, 1000);
    return () => {
      alive = false;
      window.clearTimeout(id);
    };
  }, [job]);

  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await post<{ jobs: PollJob[] }>('/poll/jobs', {
        points: [props.pointId],
        kinds: [props.kind],
        from: props.from,
        to: props.to,
      });
      setJob(r.jobs[0] ?? null);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  const cancel = async () => {
    if (!job) return;
    try {
      setJob(await post<PollJob>(`/poll/jobs/${job.id}/cancel`));
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <div class="pt-read">
      <button type="button" class="primary" disabled={busy || active} onClick={start}>
        {t('Read now')}
      </button>
      {active && (
        <button type="button" onClick={cancel} disabled={job.cancel_requested}>
          {t('Cancel reading')}
        </button>
      )}
      {job && (
        <div class={'pt-read-status pt-job-' + job.state} role="status" aria-live="polite">
          <span class="pt-read-state">
            {t('Reading: {state}', { state: jobStateLabel(job.state) })}
          </span>
          {active && (
            <progress max={1} value={job.progress || 0} aria-label={t('Reading progress')}>
              {formatNumber(Math.round((job.progress || 0) * 100))} %
            </progress>
          )}
          {active && <span>{formatNumber(Math.round((job.progress || 0) * 100))} %</span>}
          {job.message && <span class="pt-read-message">{job.message}</span>}
          <span class="pt-read-records">{t('records stored: {n}', { n: formatNumber(job.records) })}</span>
          {job.error && <span class="error">{job.error}</span>}
        </div>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
