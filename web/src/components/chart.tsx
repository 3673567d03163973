// SPDX-License-Identifier: LGPL-2.1-or-later
// A time chart (uPlot): one line a series, the time axis in the node's zone
// (a meter in Vladivostok reads 11:00 there, whatever zone the browser is
// in), one y axis a unit (the first on the left, the second on the right,
// further units share the right one's side), numbers and dates as the
// reader writes them. It fills its container's width and follows it when
// the window (or a phone turned sideways) changes size.
//
// Import it only from page modules: uPlot is then in their lazy chunks,
// never in the first load.
//
//   <Chart times={[1764500000, …]} zone="Asia/Vladivostok"
//          series={[{ label: 'T_in', unit: '°C', values: [71.3, …] }]} />
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { formatDateTime, formatNumber } from '../format';
import { language, t } from '../i18n';

export interface ChartSeries {
  /** The legend's name of the line. */
  label: string;
  /** The unit as shown ("°C"); series of one unit share an axis. */
  unit: string;
  /** One value per time; null where there is none (a gap). */
  values: (number | null)[];
  /** A CSS colour; one of the palette's when not given. */
  color?: string;
}

export interface ChartProps {
  /** Times in seconds since the epoch (UTC), ascending. */
  times: number[];
  series: ChartSeries[];
  /** The IANA zone the time axis is drawn in (the node's). */
  zone?: string;
  /** Height in CSS pixels of the plotting area with its axes (300). */
  height?: number;
  /** The accessible name of the chart (its figure). */
  label?: string;
}

/** Distinct on white with ≥ 3:1 contrast (lines, not text). */
export const PALETTE = ['#1d4f7c', '#cf222e', '#1a7f37', '#9a6700', '#8250df', '#0969da', '#bc4c00', '#57606a'];

const RU_NAMES: uPlot.DateNames = {
  MMMM: ['январь', 'февраль', 'март', 'апрель', 'май', 'июнь', 'июль', 'август', 'сентябрь', 'октябрь', 'ноябрь', 'декабрь'],
  MMM: ['янв', 'фев', 'мар', 'апр', 'май', 'июн', 'июл', 'авг', 'сен', 'окт', 'ноя', 'дек'],
  WWWW: ['воскресенье', 'понедельник', 'вторник', 'среда', 'четверг', 'пятница', 'суббота'],
  WWW: ['вс', 'пн', 'вт', 'ср', 'чт', 'пт', 'сб'],
};

// The time axis' labels by the distance of its ticks (seconds), as Russian
// and English readers write them: 24-hour clock, day before month.
function timeAxisValues(): (string | number | null)[][] {
  const ru = language() === 'ru';
  const day = ru ? '{DD}.{MM}' : '{DD}/{MM}';
  const full = ru ? '{DD}.{MM}.{YYYY}' : '{DD}/{MM}/{YYYY}';
  // [tick incr, default, year, month, day, hour, minute, second, mode]
  return [
    [3600 * 24 * 365, '{YYYY}', null, null, null, null, null, null, 1],
    [3600 * 24 * 28, '{MMM}', '\n{YYYY}', null, null, null, null, null, 1],
    [3600 * 24, day, '\n{YYYY}', null, null, null, null, null, 1],
    [3600, '{HH}:{mm}', '\n' + full, null, '\n' + day, null, null, null, 1],
    [60, '{HH}:{mm}', '\n' + full, null, '\n' + day, null, null, null, 1],
    [1, ':{ss}', '\n' + full + ' {HH}:{mm}', null, '\n' + day + ' {HH}:{mm}', null, '\n{HH}:{mm}', null, 1],
  ];
}

function unitsOf(series: ChartSeries[]): string[] {
  const units: string[] = [];
  for (const s of series) if (!units.includes(s.unit)) units.push(s.unit);
  return units;
}

/** uPlot's options for @props at @width: exported for tests and reuse. */
export function chartOptions(props: ChartProps, width: number): uPlot.Options {
  const zone = props.zone;
  const units = unitsOf(props.series);
  const scaleOf = (unit: string) => 'u' + units.indexOf(unit);
  const axes: uPlot.Axis[] = [
    {
      values: timeAxisValues(),
      space: 60,
    },
    ...units.map(
      (unit, i): uPlot.Axis => ({
        scale: scaleOf(unit),
        side: i === 0 ? 3 : 1,
        label: unit,
        labelSize: 20,
        size: 60,
        grid: { show: i === 0 },
        values: (_u, splits) => splits.map((v) => formatNumber(v)),
      }),
    ),
  ];
  const scales: uPlot.Scales = { x: { time: true } };
  for (const unit of units) scales[scaleOf(unit)] = { auto: true };
  return {
    width,
    height: props.height ?? 300,
    tzDate: zone ? (ts) => uPlot.tzDate(new Date(ts * 1000), zone) : (ts) => new Date(ts * 1000),
    fmtDate: (tpl) => uPlot.fmtDate(tpl, language() === 'ru' ? RU_NAMES : undefined),
    scales,
    axes,
    cursor: { drag: { x: true, y: false } },
    legend: { live: true },
    series: [
      {
        label: t('Time'),
        value: (_u, v) => (v === null || v === undefined ? '—' : formatDateTime(v * 1000, zone)),
      },
      ...props.series.map(
        (s, i): uPlot.Series => ({
          label: s.unit ? `${s.label}, ${s.unit}` : s.label,
          scale: scaleOf(s.unit),
          stroke: s.color ?? PALETTE[i % PALETTE.length],
          width: 2,
          spanGaps: false,
          points: { show: false },
          value: (_u, v) => formatNumber(v),
        }),
      ),
    ],
  };
}

/** The chart; redrawn when its data, zone or language change. */
export function Chart(props: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const lang = language();

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const width = Math.max(200, el.clientWidth);
    const data: uPlot.AlignedData = [props.times, ...props.series.map((s) => s.values)];
    const u = new uPlot(chartOptions(props, width), data, el);
    plot.current = u;
    return () => {
      u.destroy();
      plot.current = null;
    };
  }, [props.times, props.series, props.zone, props.height, lang]);

  useEffect(() => {
    const el = box.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    let frame = 0;
    const ro = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        const u = plot.current;
        const width = Math.max(200, el.clientWidth);
        if (u && u.width !== width) u.setSize({ width, height: props.height ?? 300 });
      });
    });
    ro.observe(el);
    return () => {
      cancelAnimationFrame(frame);
      ro.disconnect();
    };
  }, [props.height]);

  return <div class="chart" ref={box} role="figure" aria-label={props.label ?? t('Chart')} />;
}
