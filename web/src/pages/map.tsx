// SPDX-License-Identifier: LGPL-2.1-or-later
// The map of metering objects (#/map): each node with coordinates is a
// circle in its state's colour (GET /nodes/states), with a popup of its
// title, address, open problems and last current values (GET
// /current?node=ID). The tiles come from the server's configuration
// (GET /server, map.tile_url); without one (the default), and offline, the
// nodes are drawn on a plain background with a light grid, and no request
// leaves for tiles. Nodes without coordinates (0, 0) are listed beside the
// map. The view is remembered per user (setting "map.view").
import * as L from 'leaflet';
import { render } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { get, getAnswer } from '../api';
import { OfflineNote } from '../components/offline-note';
import { fieldId } from '../components/field';
import { ErrorMessage, Loading, Page } from '../components/page';
import { loadServerInfo } from '../components/status-bar';
import type { ServerInfo } from '../components/status-bar';
import { formatDateTime, formatNumber } from '../format';
import { useLoad } from '../hooks';
import { language, t } from '../i18n';
import type { CurrentItem } from '../live';
import { href, setQuery } from '../router';
import type { PageProps } from '../routes';
import { isStaff } from '../session';
import { loadSetting, saveSetting } from '../settings';
import type { NodeItem, NodeState, NodesInfo, StateName } from './monitoring';
import { loadNodesInfo, nodeTitle, resourceLabel, STATES, stateLabel, unitLabel, zoneFor } from './monitoring';

interface MapView {
  lat: number;
  lng: number;
  zoom: number;
}
const VIEW_KEY = 'map.view';
// Ekaterinburg: where the map opens when there is nothing to show
const DEFAULT_VIEW: MapView = { lat: 56.84, lng: 60.61, zoom: 11 };

function placed(n: NodeItem): boolean {
  return (
    typeof n.latitude === 'number' &&
    typeof n.longitude === 'number' &&
    !(n.latitude === 0 && n.longitude === 0) &&
    Math.abs(n.latitude) <= 90 &&
    Math.abs(n.longitude) <= 180
  );
}

/** A light grid drawn in the browser: the background when there are no tiles. */
class PlainGrid extends L.GridLayer {
  createTile(): HTMLElement {
    const tile = document.createElement('canvas');
    const size = this.getTileSize();
    tile.width = size.x;
    tile.height = size.y;
    const ctx = tile.getContext('2d');
    if (ctx) {
      ctx.strokeStyle = '#dde3ea';
      ctx.lineWidth = 1;
      ctx.beginPath();
      for (const at of [0, size.x / 2]) {
        ctx.moveTo(at + 0.5, 0);
        ctx.lineTo(at + 0.5, size.y);
        ctx.moveTo(0, at + 0.5);
        ctx.lineTo(size.x, at + 0.5);
      }
      ctx.stroke();
    }
    return tile;
  }
}

function NodePopup(props: { node: NodeItem; state: NodeState | undefined; info: NodesInfo; onSize: () => void }) {
  const { node, state, info } = props;
  const current = useLoad((signal) => get<{ items: CurrentItem[] }>(`/current?node=${node.id}`, signal), [node.id]);
  useEffect(() => props.onSize(), [current.data, current.error]);
  const s: StateName = state?.state ?? 'unknown';
  const points = current.data?.items ?? [];
  const titles = new Map(points.map((p) => [p.point_id, p.point_title]));
  return (
    <div class="map-popup" lang={language()}>
      <p class="map-popup-title">
        <a href={href(`/nodes/${node.id}`)}>{nodeTitle(node, node.id)}</a>
      </p>
      {node.address && <p class="map-popup-address">{node.address}</p>}
      <p>
        <span class={`state state-${s}`}>{stateLabel(s)}</span>
      </p>
      {state && state.problems.length > 0 && (
        <div class="map-popup-problems">
          <p class="map-popup-heading">{t('Open problems')}</p>
          <ul>
            {state.problems.map((p, i) => (
              <li key={i}>
                {titles.get(p.point_id) ? `${titles.get(p.point_id)}: ` : ''}
                {p.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      <p class="map-popup-heading">{t('Last values')}</p>
      {current.error ? (
        <ErrorMessage error={current.error} />
      ) : !current.data ? (
        <Loading />
      ) : points.length === 0 ? (
        <p>{t('No measure points.')}</p>
      ) : (
        points.map((p) => (
          <div key={p.point_id} class={'map-popup-point' + (p.stale ? ' stale' : '')}>
            <p class="map-popup-point-title">
              <a href={href(`/points/${p.point_id}`)}>{p.point_title || `#${p.point_id}`}</a>{' '}
              <span class="muted">({resourceLabel(p.resource)})</span>
            </p>
            <p class="map-popup-time">
              {p.time ? formatDateTime(p.time, zoneFor(info, node.id, p.time)) : t('never read')}
              {p.stale && <span class="stale-mark"> · {t('stale')}</span>}
            </p>
            {p.values.length > 0 && (
              <table class="map-popup-values">
                <tbody>
                  {p.values.map((v) => (
                    <tr key={v.parameter}>
                      <th scope="row">{v.parameter}</th>
                      <td class="num">
                        {formatNumber(v.value)} {unitLabel(v.unit)}
                        {v.flags.includes('bad') && <span class="stale-mark"> ({t('invalid')})</span>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        ))
      )}
    </div>
  );
}

interface MapData {
  info: NodesInfo;
  states: Map<number, NodeState>;
  server: ServerInfo | null;
  /** the states are the service worker's copy (offline) */
  offline: boolean;
  storedAt: string | null;
}

async function loadMap(signal: AbortSignal): Promise<MapData> {
  const [info, states, server] = await Promise.all([
    loadNodesInfo(signal),
    getAnswer<{ items: NodeState[] }>('/nodes/states', signal),
    loadServerInfo().catch(() => null),
  ]);
  return {
    info,
    states: new Map(states.data.items.map((s) => [s.node_id, s])),
    server,
    offline: states.offline,
    storedAt: states.storedAt,
  };
}

export default function MapPage(props: PageProps) {
  const data = useLoad(loadMap, []);
  const group = props.query.get('group') ?? '';
  const groupId = useMemo(() => fieldId('map-group'), []);
  const boxRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<L.Map | null>(null);
  const [mapReady, setMapReady] = useState(0);
  const layerRef = useRef<L.LayerGroup | null>(null);
  const fittedRef = useRef(false);
  const [savedView, setSavedView] = useState<MapView | null | undefined>(undefined);

  // the remembered view (or none) before the map is made
  useEffect(() => {
    let alive = true;
    loadSetting<MapView>(VIEW_KEY)
      .catch(() => undefined)
      .then((v) => {
        if (!alive) return;
        const ok = v && typeof v.lat === 'number' && typeof v.lng === 'number' && typeof v.zoom === 'number';
        setSavedView(ok ? v : null);
      });
    return () => {
      alive = false;
    };
  }, []);

  const groupTitle = useMemo(() => data.data?.info.groups.find((g) => String(g.id) === group)?.title, [data.data, group]);
  const shown = useMemo(() => {
    const nodes = data.data?.info.nodes ?? [];
    return groupTitle === undefined ? nodes : nodes.filter((n) => (n.groups ?? []).includes(groupTitle));
  }, [data.data, groupTitle]);
  const onMap = shown.filter(placed);
  const notPlaced = shown.filter((n) => !placed(n));
  const counts = new Map<StateName, number>();
  for (const n of onMap) {
    const s = data.data?.states.get(n.id)?.state ?? 'unknown';
    counts.set(s, (counts.get(s) ?? 0) + 1);
  }

  // the map itself, once the data and the remembered view are there
  useEffect(() => {
    if (!data.data || savedView === undefined || !boxRef.current || mapRef.current) return;
    const view = savedView ?? DEFAULT_VIEW;
    const map = L.map(boxRef.current, {
      // popups appear at once: no half-faded text (unreadable, and what
      // an accessibility check measures)
      fadeAnimation: false,
      center: [view.lat, view.lng],
      zoom: view.zoom,
      attributionControl: true,
      zoomControl: true,
    });
    map.attributionControl.setPrefix(false);
    map.zoomControl.getContainer()?.querySelectorAll('a').forEach((a) => {
      const zoomIn = a.classList.contains('leaflet-control-zoom-in');
      a.setAttribute('aria-label', zoomIn ? t('Zoom in') : t('Zoom out'));
      a.setAttribute('title', zoomIn ? t('Zoom in') : t('Zoom out'));
    });
    new PlainGrid({ tileSize: 256 }).addTo(map);
    const tileUrl = data.data.server?.map?.tile_url ?? '';
    if (tileUrl) L.tileLayer(tileUrl, { attribution: data.data.server?.map?.attribution ?? '', maxZoom: 19 }).addTo(map);
    layerRef.current = L.layerGroup().addTo(map);
    mapRef.current = map;
    fittedRef.current = savedView !== null;
    setMapReady((n) => n + 1);
    // only a view the user chose is remembered, not the first fit or a resize
    let touched = false;
    const box = boxRef.current;
    const touch = () => {
      touched = true;
    };
    const kinds = ['pointerdown', 'wheel', 'keydown', 'touchstart'];
    for (const k of kinds) box.addEventListener(k, touch, { passive: true });
    let timer: number | undefined;
    map.on('moveend', () => {
      if (!touched) return;
      window.clearTimeout(timer);
      timer = window.setTimeout(() => {
        const c = map.getCenter();
        const v = { lat: Number(c.lat.toFixed(6)), lng: Number(c.lng.toFixed(6)), zoom: map.getZoom() };
        saveSetting(VIEW_KEY, v).catch(() => undefined);
      }, 800);
    });
    return () => {
      window.clearTimeout(timer);
      for (const k of kinds) box.removeEventListener(k, touch);
      // a zoom still animating ends 250 ms later on the removed map and
      // throws (Leaflet's _onZoomTransitionEnd checks only this flag)
      map.stop();
      map.off();
      (map as unknown as { _animatingZoom: boolean })._animatingZoom = false;
      map.remove();
      mapRef.current = null;
      layerRef.current = null;
    };
  }, [data.data, savedView]);

  // the markers of the nodes shown
  useEffect(() => {
    const map = mapRef.current;
    const layer = layerRef.current;
    if (!map || !layer || !data.data) return;
    layer.clearLayers();
    const { info, states } = data.data;
    for (const n of onMap) {
      const st = states.get(n.id);
      const s = st?.state ?? 'unknown';
      const label = `${nodeTitle(n, n.id)}: ${stateLabel(s)}`;
      const marker = L.marker([n.latitude as number, n.longitude as number], {
        icon: L.divIcon({ className: `map-marker state-${s}`, iconSize: [18, 18], html: '' }),
        title: label,
        alt: label,
        keyboard: true,
        riseOnHover: true,
      });
      // names beside the circles while there are few enough to read
      if (onMap.length <= 60)
      {
        // an element, not a string: Leaflet writes string content as HTML,
        // and a node's title is whatever an operator typed
        const label = document.createElement('span');
        label.textContent = nodeTitle(n, n.id);
        marker.bindTooltip(label, { permanent: true, direction: 'right', offset: [8, 0], className: 'map-label' });
      }
      const box = document.createElement('div');
      const popup = L.popup({ maxWidth: 320, minWidth: 200, autoPanPadding: [20, 20] }).setContent(box);
      marker.bindPopup(popup);
      marker.on('popupopen', () =>
        render(<NodePopup node={n} state={st} info={info} onSize={() => popup.update()} />, box),
      );
      marker.on('popupclose', () => render(null, box));
      marker.on('add', () => {
        const el = marker.getElement();
        if (el) {
          el.dataset.nodeId = String(n.id);
          el.dataset.state = s;
          el.setAttribute('aria-label', label);
        }
      });
      layer.addLayer(marker);
    }
    if (!fittedRef.current && onMap.length > 0) {
      fittedRef.current = true;
      const bounds = L.latLngBounds(onMap.map((n) => [n.latitude as number, n.longitude as number] as [number, number]));
      map.fitBounds(bounds, { padding: [40, 40], maxZoom: 15, animate: false });
    }
    return () => layer.clearLayers();
  }, [data.data, mapReady, onMap.map((n) => n.id).join(',')]);

  // Leaflet measures its box: tell it when the box changes (phone rotation)
  useEffect(() => {
    const box = boxRef.current;
    if (!box || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => mapRef.current?.invalidateSize());
    ro.observe(box);
    return () => ro.disconnect();
  }, [data.data]);

  const staff = isStaff();
  const groups = data.data?.info.groups ?? [];
  return (
    <Page
      title={t('Map')}
      actions={
        staff && groups.length > 0 ? (
          <form class="field map-filter" role="search" aria-label={t('Filters')} onSubmit={(e) => e.preventDefault()}>
            <label for={groupId}>{t('Group')}</label>
            <select id={groupId} value={group} onChange={(e) => setQuery({ group: (e.target as HTMLSelectElement).value })}>
              <option value="">{t('All groups')}</option>
              {groups.map((g) => (
                <option key={g.id} value={String(g.id)}>
                  {g.title}
                </option>
              ))}
            </select>
          </form>
        ) : undefined
      }
    >
      {data.data && <OfflineNote offline={data.data.offline} storedAt={data.data.storedAt} />}
      {data.error && <ErrorMessage error={data.error} />}
      {!data.data && !data.error && <Loading />}
      <div class="map-layout" hidden={!data.data}>
        <div
          class="map-canvas"
          ref={boxRef}
          role="region"
          aria-label={t('Map of metering objects')}
          data-tiles={data.data?.server?.map?.tile_url ? 'yes' : 'no'}
        />
        <aside class="map-side" aria-label={t('Legend')}>
          <h2>{t('Legend')}</h2>
          <ul class="map-legend">
            {STATES.map((s) => (
              <li key={s} data-state={s}>
                <span class={`state state-${s}`}>{stateLabel(s)}</span>
                <span class="map-legend-count">{formatNumber(counts.get(s) ?? 0)}</span>
              </li>
            ))}
          </ul>
          <p class="muted">
            {t('On the map: {n}', { n: onMap.length })}
            {!data.data?.server?.map?.tile_url && (
              <>
                <br />
                {t('No map tiles are configured: the objects are drawn by their coordinates.')}
              </>
            )}
          </p>
          {notPlaced.length > 0 && (
            <section class="map-not-placed" aria-labelledby="map-not-placed-title">
              <h2 id="map-not-placed-title">{t('Not placed ({n})', { n: notPlaced.length })}</h2>
              <ul>
                {notPlaced.slice(0, 200).map((n) => {
                  const s = data.data?.states.get(n.id)?.state ?? 'unknown';
                  return (
                    <li key={n.id}>
                      <a href={href(`/nodes/${n.id}`)}>{nodeTitle(n, n.id)}</a>{' '}
                      <span class={`state state-${s}`}>{stateLabel(s)}</span>
                    </li>
                  );
                })}
              </ul>
              {notPlaced.length > 200 && <p class="muted">{t('and {n} more', { n: notPlaced.length - 200 })}</p>}
            </section>
          )}
        </aside>
      </div>
    </Page>
  );
}
