// SPDX-License-Identifier: LGPL-2.1-or-later
// What the Reports page and the template editor share: labels of archive
// kinds, formats and job states, the default period of a template, the
// list of a template's problems (line, column, message) and a render's
// preview image.
import { useEffect, useState } from 'preact/hooks';
import type { Period, Preset } from '../../components/period-picker';
import { presetPeriod } from '../../components/period-picker';
import { ApiError } from '../../api';
import { t } from '../../i18n';
import type { TemplateProblem } from './api';
import { ReportError } from './api';

export function kindText(kind: string): string {
  const labels: Record<string, string> = { hour: t('hourly'), day: t('daily'), month: t('monthly') };
  return labels[kind] ?? kind;
}

export function formatText(format: string): string {
  const labels: Record<string, string> = {
    pdf: 'PDF',
    xlsx: t('Excel workbook (XLSX)'),
    html: 'HTML',
    csv: 'CSV',
    png: t('PNG image (page 1)'),
    svg: t('SVG image (page 1)'),
  };
  return labels[format] ?? format;
}

export function jobStateText(state: string): string {
  const labels: Record<string, string> = {
    queued: t('queued'),
    running: t('running'),
    done: t('done'),
    failed: t('failed'),
    cancelled: t('cancelled'),
  };
  return labels[state] ?? state;
}

/** The period a template's `period` suggests: the last whole day, month
 * or the year to today (a statement is made for the month that ended). */
export function defaultPeriod(period: string | null | undefined): Period {
  const preset: Preset = period === 'day' ? 'yesterday' : period === 'year' ? 'year' : 'last-month';
  return presetPeriod(preset, undefined);
}

/** A wall-clock time of the period picker as the report API reads it: a
 * date alone at midnight ("2026-11-01": midnight in the point's zone),
 * else the time without an offset (read in the point's zone as well). */
export function apiTime(value: string): string {
  return value.endsWith('T00:00') ? value.slice(0, 10) : value;
}

/** "line 3, column 7: unknown field…" without the place when the server's
 * message repeats it (it is shown apart). */
function bareMessage(p: TemplateProblem): string {
  if (p.line === null) return p.message;
  const re = new RegExp(`^\\s*\\S+\\s+${p.line}\\s*,\\s*\\S+\\s+${p.column ?? '\\d+'}\\s*:\\s*`, 'i');
  return p.message.replace(re, '');
}

export function placeText(p: TemplateProblem): string {
  if (p.line === null) return '';
  return p.column !== null ? t('line {line}, column {column}', { line: p.line, column: p.column }) : t('line {line}', { line: p.line });
}

/** The problems of a template; clicking one with a place calls @onGo. */
export function ProblemList(props: { problems: TemplateProblem[]; onGo?: (line: number, column: number) => void }) {
  return (
    <ul class="template-problems" role="alert">
      {props.problems.map((p, i) => (
        <li key={i}>
          {p.line !== null && props.onGo ? (
            <button type="button" class="link problem-place" onClick={() => props.onGo!(p.line!, p.column ?? 1)}>
              {placeText(p)}
            </button>
          ) : (
            p.line !== null && <span class="problem-place">{placeText(p)}</span>
          )}
          {p.line !== null && ': '}
          <span class="problem-message">{bareMessage(p)}</span>
        </li>
      ))}
    </ul>
  );
}

/** An error of a report request: its template problems listed when it has
 * any, else its message as the rest of the application shows errors. */
export function ReportErrorView(props: { error: Error; onGo?: (line: number, column: number) => void }) {
  const e = props.error;
  if (e instanceof ReportError && e.problems.length > 0) return <ProblemList problems={e.problems} onGo={props.onGo} />;
  let text = e.message;
  if (e instanceof ApiError) {
    if (e.status === 404) text = t('Not found, or you have no access to it.');
    else if (e.status === 403) text = t('You have no rights for this.');
    else if (e.status === 0) text = t('The server cannot be reached.');
  }
  return (
    <p class="error" role="alert">
      {text}
    </p>
  );
}

/** An object URL for @blob while it is shown. */
export function useObjectUrl(blob: Blob | null): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!blob) {
      setUrl(null);
      return;
    }
    const u = URL.createObjectURL(blob);
    setUrl(u);
    return () => URL.revokeObjectURL(u);
  }, [blob]);
  return url;
}
