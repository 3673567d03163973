// SPDX-License-Identifier: LGPL-2.1-or-later
// The point page (#/points/:id?kind=hour&from=…&to=…&view=table|chart): a
// measure point's archives (hour, day, month, current, totals) and meter
// events over a period, as a table and as a chart, exported as CSV or XLSX,
// and "read now" for operators. Every time is the node's wall-clock time:
// the period is sent without an offset (the API reads it in the point's
// zone) and every time shown is formatted in that zone.
import { useMemo, useRef, useState } from 'preact/hooks';
import { type Answer, get, getAnswer, query } from '../api';
import { Chart, type ChartSeries } from '../components/chart';
import { type Column, DataTable, ROW_HEIGHT } from '../components/data-table';
import { OfflineNote } from '../components/offline-note';
import { ErrorMessage, Loading, Page } from '../components/page';
import { type Period, type Preset, parseLocal, PeriodPicker, presetPeriod } from '../components/period-picker';
import { type CellValue, csvBlob, download, type ExportTable, fileName, xlsxBlob } from '../export';
import { formatDate, formatDateTime, formatMonth, formatNumber } from '../format';
import { useLanguage, useLoad } from '../hooks';
import { t } from '../i18n';
import { href, setQuery } from '../router';
import type { PageProps } from '../routes';
import { canOperate, isStaff } from '../session';
import { ReadNow } from './point-read';
import { flagLabel, unitLabel } from '../units';

interface Point {
  id: number;
  node_id: number | null;
  title: string;
  resource: string;
  device_id: number | null;
}
interface NodeInfo {
  id: number;
  title: string;
}
interface Device {
  id: number;
  model: string | null;
  serial_number: string | null;
  protocol: string | null;
}
interface ArchiveValue {
  parameter: string;
  value: number | null;
  unit: string;
  flags: string[];
}
interface ArchiveRecord {
  timestamp: string;
  values: ArchiveValue[];
}
interface Archive {
  time_zone: string;
  from: string;
  to: string;
  records: ArchiveRecord[];
}
interface MeterEvent {
  code: string;
  device_code: number | null;
  text: string | null;
  start: string;
  end: string | null;
  severity: string;
  channel: number | null;
}

type Kind = 'hour' | 'day' | 'month' | 'current' | 'totals' | 'events';
const KINDS: Kind[] = ['hour', 'day', 'month', 'current', 'totals', 'events'];
const DEFAULT_PRESET: Record<Kind, Preset> = {
  hour: '7d',
  day: '30d',
  month: 'year',
  current: '7d',
  totals: '30d',
  events: '30d',
};

function kindLabel(k: Kind): string {
  switch (k) {
    case 'hour':
      return t('Hourly');
    case 'day':
      return t('Daily');
    case 'month':
      return t('Monthly');
    case 'current':
      return t('Current');
    case 'totals':
      return t('Totals');
    case 'events':
      return t('Meter events');
  }
}

function resourceLabel(r: string): string {
  switch (r) {
    case 'heat':
      return t('Heat');
    case 'hot-water':
      return t('Hot water');
    case 'cold-water':
      return t('Cold water');
    case 'gas':
      return t('Gas');
    case 'electricity':
      return t('Electricity');
    case 'steam':
      return t('Steam');
    default:
      return r;
  }
}

function severityLabel(s: string): string {
  switch (s) {
    case 'info':
      return t('information');
    case 'warning':
      return t('warning');
    case 'alarm':
      return t('alarm');
    default:
      return s;
  }
}

/** The time of a record as its archive counts it (a day, a month, an hour). */
function recordTime(kind: Kind, ts: string, zone: string | undefined): string {
  if (kind === 'day') return formatDate(ts, zone);
  if (kind === 'month') return formatMonth(ts, zone);
  return formatDateTime(ts, zone, kind === 'current');
}

/** Decimals a value needs, at most 4 (for aligned columns). */
function decimals(v: number): number {
  for (let k = 0; k < 4; k++) {
    const s = v * 10 ** k;
    if (Math.abs(Math.round(s) - s) < 1e-7 * Math.max(1, Math.abs(s))) return k;
  }
  return 4;
}

interface Parameter {
  name: string;
  unit: string; // the API's code
  digits: number;
}

/** The parameters of @records in their first order, with their units. */
function parametersOf(records: ArchiveRecord[]): Parameter[] {
  const seen = new Map<string, Parameter>();
  for (const r of records)
    for (const v of r.values) {
      let p = seen.get(v.parameter);
      if (!p) seen.set(v.parameter, (p = { name: v.parameter, unit: v.unit, digits: 0 }));
      if (v.value !== null) p.digits = Math.max(p.digits, decimals(v.value));
    }
  return [...seen.values()];
}

function headerOf(p: Parameter): string {
  const u = unitLabel(p.unit);
  return u ? `${p.name}, ${u}` : p.name;
}

/** The zone of the point: the archive route names it; else the server's. */
async function pointZone(id: number, signal: AbortSignal): Promise<string | undefined> {
  // the archive's answer names the node's zone: asked for one fixed empty
  // second, so the answer is small and the same URL each time (the service
  // worker's copy serves it offline)
  try {
    const a = await get<Archive>(
      `/points/${id}/archive${query({ kind: 'current', from: '2000-01-01T00:00:00Z', to: '2000-01-01T00:00:01Z' })}`,
      signal,
    );
    if (a.time_zone) return a.time_zone;
  } catch {
    /* the server's zone below */
  }
  try {
    const s = await get<{ time_zone?: string }>('/server', signal);
    return s.time_zone || undefined;
  } catch {
    return undefined;
  }
}

/** What the user's table shows (its sorting, its visible columns), for the export. */
export interface ShownView {
  records: ArchiveRecord[] | MeterEvent[];
  rows: unknown[];
  columns: string[];
}

function valueOf(r: ArchiveRecord, name: string): ArchiveValue | undefined {
  return r.values.find((x) => x.parameter === name);
}

function ArchiveView(props: {
  point: Point;
  kind: Exclude<Kind, 'events'>;
  zone: string | undefined;
  view: 'table' | 'chart';
  archive: Archive;
  onView: (v: ShownView) => void;
}) {
  const { kind, zone, archive } = props;
  const records = archive.records;
  const params = useMemo(() => parametersOf(records), [records]);
  const [chosen, setChosen] = useState<string[] | null>(null);
  const shown = (chosen ?? params.slice(0, 3).map((p) => p.name)).filter((n) => params.some((p) => p.name === n));

  const columns: Column<ArchiveRecord>[] = useMemo(
    () => [
      {
        id: 'time',
        title: t('Time'),
        width: kind === 'current' ? '12rem' : '10rem',
        groupable: false,
        value: (r) => Date.parse(r.timestamp),
        text: (r) => recordTime(kind, r.timestamp, zone),
      },
      ...params.map(
        (p): Column<ArchiveRecord> => ({
          id: p.name,
          title: headerOf(p),
          align: 'num',
          width: `${Math.max(7, headerOf(p).length * 0.6 + 2)}rem`,
          groupable: false,
          value: (r) => valueOf(r, p.name)?.value ?? null,
          text: (r) => {
            const v = valueOf(r, p.name);
            return v ? formatNumber(v.value, v.value === null ? undefined : p.digits) : '';
          },
          render: (r) => {
            const v = valueOf(r, p.name);
            if (!v) return '';
            const text = formatNumber(v.value, v.value === null ? undefined : p.digits);
            if (v.flags.length === 0) return text;
            return (
              <span
                class={v.flags.includes('bad') ? 'pt-flagged pt-bad' : 'pt-flagged'}
                title={t('Flags: {flags}', { flags: v.flags.map(flagLabel).join(', ') })}
              >
                {text}
                <span class="pt-flag-mark" aria-hidden="true">
                  {v.flags.includes('bad') ? '!' : '*'}
                </span>
              </span>
            );
          },
        }),
      ),
    ],
    [params, kind, zone],
  );

  const times = useMemo(() => records.map((r) => Date.parse(r.timestamp) / 1000), [records]);
  const series: ChartSeries[] = useMemo(
    () =>
      params
        .filter((p) => shown.includes(p.name))
        .map((p) => ({
          label: p.name,
          unit: unitLabel(p.unit),
          values: records.map((r) => valueOf(r, p.name)?.value ?? null),
        })),
    [records, params, shown.join(',')],
  );

  if (records.length === 0) return <p class="pt-empty">{t('No records in this period.')}</p>;
  const flagged = records.some((r) => r.values.some((v) => v.flags.length > 0));
  return props.view === 'table' ? (
    <div class="point-table">
      <DataTable
        columns={columns}
        rows={records}
        rowKey={(r) => r.timestamp}
        label={t('Archive “{kind}”', { kind: kindLabel(kind) })}
        height={Math.min(520, ROW_HEIGHT * (records.length + 1) + 24)}
        noGrouping
        defaultSort={{ id: 'time', desc: false }}
        onView={(rows, cols) => props.onView({ records, rows, columns: cols.map((c) => c.id) })}
      />
      {flagged && (
        <p class="pt-note">
          {t('* a calculated or interpolated value, ! an invalid one (the cell’s tooltip names the flag).')}
        </p>
      )}
    </div>
  ) : (
    <div class="point-chart">
      <fieldset class="pt-chart-parameters">
        <legend>{t('Parameters')}</legend>
        {params.map((p) => (
          <label key={p.name}>
            <input
              type="checkbox"
              checked={shown.includes(p.name)}
              onChange={(e) => {
                const on = (e.currentTarget as HTMLInputElement).checked;
                setChosen(on ? [...shown, p.name] : shown.filter((n) => n !== p.name));
              }}
            />{' '}
            {headerOf(p)}
          </label>
        ))}
      </fieldset>
      {series.length > 0 ? (
        <Chart
          times={times}
          series={series}
          zone={zone}
          height={320}
          label={t('Archive “{kind}”: {point}', { kind: kindLabel(kind), point: props.point.title })}
        />
      ) : (
        <p class="pt-empty">{t('Choose the parameters to draw.')}</p>
      )}
    </div>
  );
}

function EventsView(props: { events: MeterEvent[]; zone: string | undefined; onView: (v: ShownView) => void }) {
  const events = props.events;
  const columns: Column<MeterEvent>[] = [
    {
      id: 'start',
      title: t('Start'),
      width: '10rem',
      value: (e) => Date.parse(e.start),
      text: (e) => formatDateTime(e.start, props.zone),
    },
    {
      id: 'end',
      title: t('End'),
      width: '10rem',
      value: (e) => (e.end ? Date.parse(e.end) : null),
      text: (e) => (e.end ? formatDateTime(e.end, props.zone) : t('not ended')),
    },
    {
      id: 'severity',
      title: t('Severity'),
      width: '9rem',
      value: (e) => severityLabel(e.severity),
      render: (e) => <span class={'pt-severity-' + e.severity}>{severityLabel(e.severity)}</span>,
    },
    { id: 'text', title: t('Event'), width: '18rem', value: (e) => e.text ?? e.code },
    { id: 'code', title: t('Code'), width: '12rem', value: (e) => (e.device_code === null ? e.code : `${e.code} (${e.device_code})`) },
  ];
  if (events.length === 0) return <p class="pt-empty">{t('No meter events in this period.')}</p>;
  return (
    <div class="point-table">
      <DataTable
        columns={columns}
        rows={events}
        rowKey={(e) => `${e.start}/${e.code}/${e.channel ?? ''}`}
        label={t('Meter events')}
        height={Math.min(400, ROW_HEIGHT * (events.length + 1) + 24)}
        noGrouping
        defaultSort={{ id: 'start', desc: false }}
        onView={(rows, cols) => props.onView({ records: events, rows, columns: cols.map((c) => c.id) })}
      />
    </div>
  );
}

/**
 * What the table shows, as the export writes it: its rows in the user's
 * order and its visible columns (@view, when it is of these @data); all
 * rows and columns in time order otherwise (the chart view).
 */
function exportTable(kind: Kind, data: Archive | MeterEvent[], view: ShownView | null, zone: string | undefined, sheet: string): ExportTable {
  if (kind === 'events') {
    const all = data as MeterEvent[];
    const events = (view && view.records === all ? view.rows : all) as MeterEvent[];
    const cols: Record<string, { col: ExportTable['columns'][number]; cell: (e: MeterEvent) => CellValue }> = {
      start: { col: { title: t('Start'), type: 'time' }, cell: (e) => Date.parse(e.start) },
      end: { col: { title: t('End'), type: 'time' }, cell: (e) => (e.end ? Date.parse(e.end) : null) },
      severity: { col: { title: t('Severity'), type: 'text' }, cell: (e) => severityLabel(e.severity) },
      text: { col: { title: t('Event'), type: 'text' }, cell: (e) => e.text ?? e.code },
      code: { col: { title: t('Code'), type: 'text' }, cell: (e) => (e.device_code === null ? e.code : `${e.code} (${e.device_code})`) },
    };
    const ids = view && view.records === all ? view.columns.filter((id) => id in cols) : Object.keys(cols);
    return { zone, sheet, columns: ids.map((id) => cols[id].col), rows: events.map((e) => ids.map((id) => cols[id].cell(e))) };
  }
  const all = (data as Archive).records;
  const records = (view && view.records === all ? view.rows : all) as ArchiveRecord[];
  const params = parametersOf(all);
  const ids = view && view.records === all ? view.columns : ['time', ...params.map((p) => p.name)];
  return {
    zone,
    sheet,
    columns: ids.map((id) => {
      if (id === 'time') return { title: t('Time'), type: 'time' as const, unit: zone };
      const p = params.find((x) => x.name === id);
      return { title: id, unit: p ? unitLabel(p.unit) : undefined, type: 'number' as const };
    }),
    rows: records.map((r) => ids.map((id) => (id === 'time' ? Date.parse(r.timestamp) : (valueOf(r, id)?.value ?? null)))),
  };
}

export default function PointPage(props: PageProps) {
  useLanguage();
  const id = Number(props.params.id);
  const q = props.query;
  const kind: Kind = KINDS.includes(q.get('kind') as Kind) ? (q.get('kind') as Kind) : 'hour';
  const view = q.get('view') === 'chart' ? 'chart' : 'table';
  const viewRef = useRef<ShownView | null>(null);
  const onView = (v: ShownView) => {
    viewRef.current = v;
  };

  const head = useLoad(
    async (signal) => {
      if (!Number.isInteger(id) || id <= 0) throw new Error(t('Not found, or you have no access to it.'));
      const point = await get<Point>(`/points/${id}`, signal);
      const [node, device, zone] = await Promise.all([
        point.node_id ? get<NodeInfo>(`/nodes/${point.node_id}`, signal).catch(() => null) : null,
        point.device_id && isStaff() ? get<Device>(`/devices/${point.device_id}`, signal).catch(() => null) : null,
        pointZone(id, signal),
      ]);
      return { point, node, device, zone };
    },
    [id],
  );
  const zone = head.data?.zone;
  const fromQ = parseLocal(q.get('from'));
  const toQ = parseLocal(q.get('to'));
  const period: Period | null = head.data
    ? fromQ && toQ
      ? { from: fromQ, to: toQ }
      : presetPeriod(DEFAULT_PRESET[kind], zone)
    : null;

  const data = useLoad(
    async (signal): Promise<{ key: string; answer: Answer<Archive | MeterEvent[]> } | null> => {
      if (!period) return null;
      const key = `${kind}/${period.from}/${period.to}`;
      if (kind === 'events')
        return { key, answer: await getAnswer<MeterEvent[]>(`/points/${id}/events${query({ from: period.from, to: period.to })}`, signal) };
      return { key, answer: await getAnswer<Archive>(`/points/${id}/archive${query({ kind, from: period.from, to: period.to })}`, signal) };
    },
    [id, kind, period?.from, period?.to],
  );

  if (head.error) {
    return (
      <Page title={t('Measure point')}>
        <ErrorMessage error={head.error} />
      </Page>
    );
  }
  if (!head.data || !period) {
    return (
      <Page title={t('Measure point')}>
        <Loading />
      </Page>
    );
  }
  const { point, node, device } = head.data;
  const link = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(q);
    for (const [k, v] of Object.entries(changes)) if (v === null) next.delete(k);
    else next.set(k, v);
    return href(`/points/${id}?${next.toString()}`);
  };
  // the answer of what is asked now (not the previous kind's, for a render)
  const answer = data.data && data.data.key === `${kind}/${period.from}/${period.to}` ? data.data.answer : null;
  const shown = answer ? answer.data : null;
  const exportAs = (format: 'csv' | 'xlsx') => {
    if (!shown) return;
    const table = exportTable(kind, shown, view === 'chart' ? null : viewRef.current, zone, point.title);
    const name = fileName(
      [t('point'), point.id, point.title, kind, period.from.slice(0, 10), period.to.slice(0, 10)],
      format,
    );
    download(format === 'csv' ? csvBlob(table) : xlsxBlob(table), name);
  };

  return (
    <Page
      title={point.title}
      actions={
        canOperate() ? (
          <ReadNow
            key={`${kind}/${period.from}/${period.to}`}
            pointId={id}
            kind={kind}
            from={period.from}
            to={period.to}
            onFinished={() => data.reload()}
          />
        ) : undefined
      }
    >
      <dl class="properties point-properties">
        <dt>{t('Metering object')}</dt>
        <dd>{node ? <a href={href(`/nodes/${node.id}`)}>{node.title}</a> : '—'}</dd>
        <dt>{t('Resource')}</dt>
        <dd>{resourceLabel(point.resource)}</dd>
        {device && (
          <>
            <dt>{t('Device')}</dt>
            <dd>{[device.model, device.serial_number && t('No. {n}', { n: device.serial_number })].filter(Boolean).join(', ')}</dd>
          </>
        )}
        <dt>{t('Time zone')}</dt>
        <dd>{zone ?? t('the browser’s')}</dd>
      </dl>

      <nav class="tabs" aria-label={t('Archives')}>
        {KINDS.map((k) => (
          <a key={k} href={link({ kind: k, from: null, to: null })} aria-current={k === kind ? 'page' : undefined}>
            {kindLabel(k)}
          </a>
        ))}
      </nav>

      <div class="point-toolbar">
        <PeriodPicker
          value={period}
          zone={zone}
          onChange={(p) => setQuery({ from: p.from, to: p.to })}
        />
        <div class="point-buttons">
          {kind !== 'events' && (
            <div class="pt-view-switch" role="group" aria-label={t('View')}>
              <button type="button" aria-pressed={view === 'table'} onClick={() => setQuery({ view: null })}>
                {t('Table')}
              </button>
              <button type="button" aria-pressed={view === 'chart'} onClick={() => setQuery({ view: 'chart' })}>
                {t('Chart')}
              </button>
            </div>
          )}
          <button type="button" disabled={!shown} onClick={() => exportAs('csv')}>
            {t('Export CSV')}
          </button>
          <button type="button" disabled={!shown} onClick={() => exportAs('xlsx')}>
            {t('Export XLSX')}
          </button>
        </div>
      </div>

      {answer && <OfflineNote offline={answer.offline} storedAt={answer.storedAt} />}
      {data.error ? (
        <ErrorMessage error={data.error} />
      ) : !shown ? (
        <Loading />
      ) : kind === 'events' ? (
        <EventsView events={shown as MeterEvent[]} zone={zone} onView={onView} />
      ) : (
        <ArchiveView point={point} kind={kind} zone={zone} view={view} archive={shown as Archive} onView={onView} />
      )}
    </Page>
  );
}
