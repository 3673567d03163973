// SPDX-License-Identifier: LGPL-2.1-or-later
// The point page (#/points/:id?kind=hour&from=…&to=…&view=table|chart): a
// measure point's archives (hour, day, month, current, totals) and meter
// events over a period, as a table and as a chart, exported as CSV or XLSX,
// and "read now" for operators. Every time is the node's wall-clock time:
// the period is sent without an offset (the API reads it in the point's
// zone) and every time shown is formatted in that zone.
import { useMemo, useState } from 'preact/hooks';
import { type Answer, get, getAnswer, query } from '../api';
import { Chart, type ChartSeries } from '../components/chart';
import { OfflineNote } from '../components/offline-note';
import { ErrorMessage, Loading, Page } from '../components/page';
import { type Period, type Preset, parseLocal, PeriodPicker, presetPeriod } from '../components/period-picker';
import { csvBlob, download, type ExportTable, fileName, xlsxBlob } from '../export';
import { formatDate, formatDateTime, formatMonth, formatNumber } from '../format';
import { useLanguage, useLoad } from '../hooks';
import { t } from '../i18n';
import { href, setQuery } from '../router';
import type { PageProps } from '../routes';
import { canOperate } from '../session';
import { ReadNow } from './point-read';
import { type TableColumn, VirtualTable } from './point-table';
import { flagLabel, unitLabel } from './point-units';

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
  const now = Date.now();
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
  try {
    const a = await get<Archive>(
      `/points/${id}/archive${query({ kind: 'current', from: iso(now - 60000), to: iso(now) })}`,
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

function ArchiveView(props: {
  point: Point;
  kind: Exclude<Kind, 'events'>;
  zone: string | undefined;
  period: Period;
  view: 'table' | 'chart';
  archive: Archive;
}) {
  const { kind, zone, archive } = props;
  const records = archive.records;
  const params = useMemo(() => parametersOf(records), [records]);
  const [chosen, setChosen] = useState<string[] | null>(null);
  const shown = (chosen ?? params.slice(0, 3).map((p) => p.name)).filter((n) => params.some((p) => p.name === n));

  const columns: TableColumn<ArchiveRecord>[] = useMemo(
    () => [
      { id: 'time', title: t('Time'), cell: (r) => ({ text: recordTime(kind, r.timestamp, zone) }) },
      ...params.map(
        (p): TableColumn<ArchiveRecord> => ({
          id: p.name,
          title: headerOf(p),
          align: 'num',
          cell: (r) => {
            const v = r.values.find((x) => x.parameter === p.name);
            if (!v) return { text: '' };
            const text = formatNumber(v.value, v.value === null ? undefined : p.digits);
            if (v.flags.length === 0) return { text };
            return {
              text: (
                <>
                  {text}
                  <span class="flag-mark" aria-hidden="true">
                    {v.flags.includes('bad') ? '!' : '*'}
                  </span>
                </>
              ),
              title: t('Flags: {flags}', { flags: v.flags.map(flagLabel).join(', ') }),
              className: v.flags.includes('bad') ? 'flagged bad' : 'flagged',
            };
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
          values: records.map((r) => r.values.find((x) => x.parameter === p.name)?.value ?? null),
        })),
    [records, params, shown.join(',')],
  );

  if (records.length === 0) return <p class="empty">{t('No records in this period.')}</p>;
  const flagged = records.some((r) => r.values.some((v) => v.flags.length > 0));
  return props.view === 'table' ? (
    <>
      <VirtualTable
        columns={columns}
        rows={records}
        rowKey={(r) => r.timestamp}
        caption={t('Archive “{kind}”', { kind: kindLabel(kind) })}
        height={520}
      />
      <p class="table-note">
        {t('{n} records.', { n: formatNumber(records.length) })}{' '}
        {flagged && t('* a calculated or interpolated value, ! an invalid one (the cell’s tooltip names the flag).')}
      </p>
    </>
  ) : (
    <div class="point-chart">
      <fieldset class="chart-parameters">
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
        <p class="empty">{t('Choose the parameters to draw.')}</p>
      )}
    </div>
  );
}

function EventsView(props: { events: MeterEvent[]; zone: string | undefined }) {
  const columns: TableColumn<MeterEvent>[] = [
    { id: 'start', title: t('Start'), cell: (e) => ({ text: formatDateTime(e.start, props.zone) }) },
    { id: 'end', title: t('End'), cell: (e) => ({ text: e.end ? formatDateTime(e.end, props.zone) : t('not ended') }) },
    { id: 'severity', title: t('Severity'), cell: (e) => ({ text: severityLabel(e.severity), className: 'severity-' + e.severity }) },
    { id: 'text', title: t('Event'), cell: (e) => ({ text: e.text ?? e.code }) },
    { id: 'code', title: t('Code'), cell: (e) => ({ text: e.device_code === null ? e.code : `${e.code} (${e.device_code})` }) },
  ];
  if (props.events.length === 0) return <p class="empty">{t('No meter events in this period.')}</p>;
  return <VirtualTable columns={columns} rows={props.events} rowKey={(e, i) => `${e.start}/${i}`} caption={t('Meter events')} height={400} />;
}

/** What the table shows, as the export writes it. */
function exportTable(kind: Kind, data: Archive | MeterEvent[], zone: string | undefined, sheet: string): ExportTable {
  if (kind === 'events') {
    const events = data as MeterEvent[];
    return {
      zone,
      sheet,
      columns: [
        { title: t('Start'), type: 'time' },
        { title: t('End'), type: 'time' },
        { title: t('Severity'), type: 'text' },
        { title: t('Event'), type: 'text' },
        { title: t('Code'), type: 'text' },
      ],
      rows: events.map((e) => [
        Date.parse(e.start),
        e.end ? Date.parse(e.end) : null,
        severityLabel(e.severity),
        e.text ?? e.code,
        e.code,
      ]),
    };
  }
  const records = (data as Archive).records;
  const params = parametersOf(records);
  return {
    zone,
    sheet,
    columns: [
      { title: t('Time'), type: 'time', unit: zone },
      ...params.map((p) => ({ title: p.name, unit: unitLabel(p.unit), type: 'number' as const })),
    ],
    rows: records.map((r) => [
      Date.parse(r.timestamp),
      ...params.map((p) => r.values.find((v) => v.parameter === p.name)?.value ?? null),
    ]),
  };
}

export default function PointPage(props: PageProps) {
  useLanguage();
  const id = Number(props.params.id);
  const q = props.query;
  const kind: Kind = KINDS.includes(q.get('kind') as Kind) ? (q.get('kind') as Kind) : 'hour';
  const view = q.get('view') === 'chart' ? 'chart' : 'table';

  const head = useLoad(
    async (signal) => {
      if (!Number.isInteger(id) || id <= 0) throw new Error(t('Not found, or you have no access to it.'));
      const point = await get<Point>(`/points/${id}`, signal);
      const [node, device, zone] = await Promise.all([
        point.node_id ? get<NodeInfo>(`/nodes/${point.node_id}`, signal).catch(() => null) : null,
        point.device_id ? get<Device>(`/devices/${point.device_id}`, signal).catch(() => null) : null,
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
    async (signal): Promise<Answer<Archive | MeterEvent[]> | null> => {
      if (!period) return null;
      if (kind === 'events')
        return getAnswer<MeterEvent[]>(`/points/${id}/events${query({ from: period.from, to: period.to })}`, signal);
      return getAnswer<Archive>(`/points/${id}/archive${query({ kind, from: period.from, to: period.to })}`, signal);
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
  const answer = data.data && !data.loading ? data.data : null;
  const shown = answer ? answer.data : null;
  const exportAs = (format: 'csv' | 'xlsx') => {
    if (!shown) return;
    const table = exportTable(kind, shown, zone, point.title);
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
            <div class="view-switch" role="group" aria-label={t('View')}>
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
        <EventsView events={shown as MeterEvent[]} zone={zone} />
      ) : (
        <ArchiveView point={point} kind={kind} zone={zone} period={period} view={view} archive={shown as Archive} />
      )}
    </Page>
  );
}
