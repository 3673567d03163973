// SPDX-License-Identifier: LGPL-2.1-or-later
// A mnemonic diagram as drawn: the uploaded SVG shown as an IMAGE (a data:
// URL in <img>, so nothing in it can run, even though the server sanitised
// it), and over it an SVG overlay of the elements in the drawing's own
// coordinates (viewBox = width × height), scaled to the page's width.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { get } from '../api';
import { formatNumber } from '../format';
import { t } from '../i18n';
import type { CurrentItem } from '../live';
import { useCurrent } from '../live';
import { unitLabel } from '../units';

export type ElementKind = 'label' | 'rect' | 'circle' | 'line' | 'text';
export interface DiagramStyle {
  fill?: string;
  stroke?: string;
  font_size?: number;
}
export interface DiagramElement {
  id: string;
  kind: ElementKind;
  x: number;
  y: number;
  w?: number;
  h?: number;
  text?: string;
  point_id?: number;
  parameter?: string;
  unit?: string;
  digits?: number;
  style?: DiagramStyle;
}
export interface Diagram {
  id: number;
  title: string;
  node_id: number | null;
  group_id: number | null;
  width: number;
  height: number;
  updated_at: string;
  updated_by: string | null;
  svg: string | null;
  elements: DiagramElement[];
}

export type { CurrentItem, CurrentValue } from '../live';
export type PointState = 'unknown' | 'normal' | 'warning' | 'critical';

/** What a label shows: "71,5 °C", or "—" without a value. */
export function labelText(el: DiagramElement, item: CurrentItem | undefined, _lang: string): string {
  const v = item?.values.find((x) => x.parameter === el.parameter);
  if (!v || v.value === null) return '—';
  const unit = el.unit ? el.unit : unitLabel(v.unit);
  return formatNumber(v.value, el.digits ?? undefined) + (unit ? '\u00a0' + unit : '');
}

/** The drawing as a data: URL for <img> (nothing in an image runs). */
export function svgImageUrl(svg: string): string {
  return 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(svg);
}

/** Where @clientX/@clientY falls in @svg's own coordinates. */
export function toDrawing(svg: SVGSVGElement, clientX: number, clientY: number): { x: number; y: number } {
  const m = svg.getScreenCTM();
  if (!m) return { x: 0, y: 0 };
  const p = new DOMPoint(clientX, clientY).matrixTransform(m.inverse());
  return { x: Math.round(p.x), y: Math.round(p.y) };
}

export interface Live {
  current: Map<number, CurrentItem>;
  states: Map<number, PointState>;
}

/**
 * The current values and states of @points, kept up to date: the live
 * stream of current values (live.ts), GET /points/states every 30 s.
 */
export function useLive(points: number[]): Live {
  const ids = [...new Set(points)].sort((a, b) => a - b);
  const key = ids.join(',');
  const live = useCurrent(key ? { point: ids } : null);
  const [states, setStates] = useState<Map<number, PointState>>(new Map());
  useEffect(() => {
    if (!key) return;
    const ctl = new AbortController();
    const load = () =>
      get<{ items: { point_id: number; state: PointState }[] }>('/points/states', ctl.signal)
        .then((st) => setStates(new Map(st.items.map((x) => [x.point_id, x.state]))))
        .catch(() => undefined /* offline or refused: keep the last states */);
    load();
    const id = window.setInterval(load, 30_000);
    return () => {
      ctl.abort();
      window.clearInterval(id);
    };
  }, [key]);
  return { current: live.items, states };
}

function fontSize(el: DiagramElement) {
  return el.style?.font_size ?? 16;
}

/** One element as SVG (a label as a link to its point when @links). */
export function ElementShape(props: {
  el: DiagramElement;
  live?: Live;
  lang: string;
  links?: boolean;
  selected?: boolean;
}): preact.JSX.Element {
  const { el } = props;
  const fill = el.style?.fill;
  const stroke = el.style?.stroke;
  const cls = 'd-el d-' + el.kind + (props.selected ? ' d-selected' : '');
  switch (el.kind) {
    case 'rect':
      return (
        <rect class={cls} data-id={el.id} x={el.x} y={el.y} width={Math.max(1, el.w ?? 80)} height={Math.max(1, el.h ?? 40)}
          fill={fill ?? 'none'} stroke={stroke ?? '#333'} stroke-width={2} />
      );
    case 'circle':
      return (
        <circle class={cls} data-id={el.id} cx={el.x} cy={el.y} r={Math.max(1, el.w ?? 20)}
          fill={fill ?? 'none'} stroke={stroke ?? '#333'} stroke-width={2} />
      );
    case 'line':
      return (
        <g class={cls} data-id={el.id}>
          {/* a wide transparent twin so a thin line can be picked */}
          <line x1={el.x} y1={el.y} x2={el.x + (el.w ?? 80)} y2={el.y + (el.h ?? 0)} stroke="transparent" stroke-width={12} />
          <line x1={el.x} y1={el.y} x2={el.x + (el.w ?? 80)} y2={el.y + (el.h ?? 0)} stroke={stroke ?? '#333'} stroke-width={3} />
        </g>
      );
    case 'text':
      return (
        <text class={cls} data-id={el.id} x={el.x} y={el.y} font-size={fontSize(el)} fill={fill ?? '#1f2328'}>
          {el.text || t('Text')}
        </text>
      );
    case 'label': {
      const item = el.point_id !== undefined ? props.live?.current.get(el.point_id) : undefined;
      const state = (el.point_id !== undefined && props.live?.states.get(el.point_id)) || 'unknown';
      const stale = !item || item.stale;
      const text = props.live ? labelText(el, item, props.lang) : `${el.parameter ?? '?'}${el.unit ? ' ' + el.unit : ''}`;
      const body = (
        <text
          class={`${cls} d-state-${state}${stale && props.live ? ' d-stale' : ''}`}
          data-id={el.id}
          data-point={el.point_id}
          data-parameter={el.parameter}
          x={el.x}
          y={el.y}
          font-size={fontSize(el)}
          style={fill ? { fill } : undefined}
        >
          <tspan class="d-value">{text}</tspan>
          <title>
            {t('{parameter}: {state}', { parameter: el.parameter ?? '', state: stateText(state) })}
            {stale && props.live ? ' — ' + t('stale') : ''}
          </title>
        </text>
      );
      if (props.links && el.point_id !== undefined)
        return (
          <a href={`#/points/${el.point_id}`} aria-label={`${el.parameter ?? ''} ${text}${stale ? ' (' + t('stale') + ')' : ''}`}>
            {body}
          </a>
        );
      return body;
    }
  }
}

export function stateText(s: PointState): string {
  switch (s) {
    case 'normal':
      return t('normal');
    case 'warning':
      return t('warning');
    case 'critical':
      return t('critical');
    default:
      return t('unknown');
  }
}

/** The drawing and its overlay; @overlay gets extra SVG children/handlers. */
export function DiagramCanvas(props: {
  width: number;
  height: number;
  svg: string | null;
  svgRef?: { current: SVGSVGElement | null };
  overlayProps?: Record<string, unknown>;
  label: string;
  children: ComponentChildren;
}) {
  return (
    <div class="diagram-canvas" style={{
        aspectRatio: `${props.width} / ${props.height}`,
        // the whole drawing in the window's height, at most the page's width
        maxWidth: `min(100%, ${((75 * props.width) / props.height).toFixed(2)}vh)`,
      }}>
      {props.svg ? (
        <img class="diagram-image" src={svgImageUrl(props.svg)} alt="" draggable={false} />
      ) : (
        <div class="diagram-blank" />
      )}
      <svg
        ref={props.svgRef as any}
        class="diagram-overlay"
        viewBox={`0 0 ${props.width} ${props.height}`}
        preserveAspectRatio="xMidYMid meet"
        role="group"
        aria-label={props.label}
        {...props.overlayProps}
      >
        {props.children}
      </svg>
    </div>
  );
}
