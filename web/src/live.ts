// SPDX-License-Identifier: LGPL-2.1-or-later
// Live current values: the newest current record of each point the user
// sees, kept up to date by the server's stream (docs/api-current.md):
// GET /api/v1/current first, then an EventSource on /api/v1/current/stream
// (a "snapshot" event, then an "update" event per new record). When the
// stream breaks the browser reconnects by itself; when the server refuses it
// (busy, session ended) we read /current again and reopen it after a pause
// that grows to 30 s. Pages (the summary of current values, the map,
// mnemonic diagrams) use useCurrent() or subscribeCurrent().
import { useEffect, useRef, useState } from 'preact/hooks';
import { get, query } from './api';

export interface CurrentValue {
  parameter: string;
  value: number | null;
  unit: string;
  flags: string[];
}

/** One item of GET /current: the newest current record of one point. */
export interface CurrentItem {
  point_id: number;
  node_id: number;
  point_title: string | null;
  node_title: string | null;
  resource: string;
  /** ISO 8601 with the node's offset; null when never read */
  time: string | null;
  values: CurrentValue[];
  stale: boolean;
}

/** connecting: before the first answer; live: the stream is open;
 * reconnecting: the stream broke and is being reopened (values may be old). */
export type LiveState = 'connecting' | 'live' | 'reconnecting';

export interface CurrentFilter {
  point?: number[];
  node?: number[];
}

export interface CurrentHandlers {
  /** The whole list (first answer, and after every reconnection). */
  snapshot: (items: CurrentItem[]) => void;
  /** One point's newer record. */
  update: (item: CurrentItem) => void;
  state?: (state: LiveState) => void;
}

function filterQuery(filter: CurrentFilter): string {
  return query({
    point: filter.point && filter.point.length ? filter.point.join(',') : undefined,
    node: filter.node && filter.node.length ? filter.node.join(',') : undefined,
  });
}

const MAX_DELAY_MS = 30000;

/**
 * Reads /current with @filter, then follows the stream; returns the function
 * that closes it. The EventSource is created through @factory (tests and
 * browsers without it pass another).
 */
export function subscribeCurrent(
  filter: CurrentFilter,
  handlers: CurrentHandlers,
  factory: (url: string) => EventSource = (url) => new EventSource(url, { withCredentials: true }),
): () => void {
  const q = filterQuery(filter);
  let closed = false;
  let source: EventSource | null = null;
  let timer: number | undefined;
  let delay = 1000;
  let state: LiveState | null = null;
  const setState = (s: LiveState) => {
    if (s !== state) {
      state = s;
      handlers.state?.(s);
    }
  };
  setState('connecting');

  const parse = <T>(e: MessageEvent): T | null => {
    try {
      return JSON.parse(e.data) as T;
    } catch {
      return null;
    }
  };

  const open = () => {
    if (closed) return;
    const s = factory('/api/v1/current/stream' + q);
    source = s;
    s.addEventListener('open', () => {
      delay = 1000;
      setState('live');
    });
    s.addEventListener('snapshot', (e) => {
      const list = parse<{ items: CurrentItem[] }>(e as MessageEvent);
      if (list && Array.isArray(list.items)) handlers.snapshot(list.items);
      setState('live');
    });
    s.addEventListener('update', (e) => {
      const item = parse<CurrentItem>(e as MessageEvent);
      if (item && typeof item.point_id === 'number') handlers.update(item);
    });
    s.addEventListener('error', () => {
      if (closed) return;
      setState('reconnecting');
      // CONNECTING: the browser retries by itself; CLOSED: the server said
      // no (not 200 text/event-stream), so we retry after a pause
      if (s.readyState === EventSource.CLOSED) {
        s.close();
        source = null;
        retry();
      }
    });
  };

  const retry = () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => {
      if (closed) return;
      // read the list again: it shows the values meanwhile, and a 401 here
      // brings back the login form (api.ts)
      get<{ items: CurrentItem[] }>('/current' + q)
        .then((list) => {
          if (!closed) handlers.snapshot(list.items);
          open();
        })
        .catch(() => retry());
      delay = Math.min(delay * 2, MAX_DELAY_MS);
    }, delay);
  };

  get<{ items: CurrentItem[] }>('/current' + q)
    .then((list) => {
      if (closed) return;
      handlers.snapshot(list.items);
      open();
    })
    .catch(() => {
      if (closed) return;
      setState('reconnecting');
      retry();
    });

  return () => {
    closed = true;
    window.clearTimeout(timer);
    source?.close();
    source = null;
  };
}

export interface LiveCurrent {
  /** point id → its newest record, in the order of the list */
  items: Map<number, CurrentItem>;
  state: LiveState;
  /** point id → the parameters whose value changed with the last update,
   * and when (for a brief highlight) */
  changed: Map<number, { at: number; parameters: Set<string> }>;
  /** the first list has come */
  loaded: boolean;
}

function sameValue(a: CurrentValue | undefined, b: CurrentValue): boolean {
  return a !== undefined && a.value === b.value && a.unit === b.unit;
}

/** The live current values of the points of @filter (null: do not load). */
export function useCurrent(filter: CurrentFilter | null): LiveCurrent {
  const [live, setLive] = useState<LiveCurrent>({ items: new Map(), state: 'connecting', changed: new Map(), loaded: false });
  const key = filter ? filterQuery(filter) : null;
  const filterRef = useRef(filter);
  filterRef.current = filter;
  useEffect(() => {
    if (key === null || !filterRef.current) return;
    // the rows of the previous filter stay until the new list comes (a page
    // filtering them itself shows the right ones at once, without a flash)
    setLive((l) => ({ ...l, state: 'connecting' }));
    return subscribeCurrent(filterRef.current, {
      snapshot: (list) =>
        setLive((l) => ({ ...l, items: new Map(list.map((i) => [i.point_id, i])), changed: new Map(), loaded: true })),
      update: (item) =>
        setLive((l) => {
          const items = new Map(l.items);
          const before = items.get(item.point_id);
          items.set(item.point_id, item);
          const parameters = new Set<string>();
          for (const v of item.values)
            if (!sameValue(before?.values.find((b) => b.parameter === v.parameter), v)) parameters.add(v.parameter);
          const changed = new Map(l.changed);
          changed.set(item.point_id, { at: Date.now(), parameters });
          return { ...l, items, changed };
        }),
      state: (state) => setLive((l) => ({ ...l, state })),
    });
  }, [key]);
  return live;
}
