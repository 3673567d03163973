// SPDX-License-Identifier: LGPL-2.1-or-later
// Loading data for a page: the answer, the error, and a way to load again.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { onLanguageChange } from './i18n';

export interface Loaded<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload: () => void;
}

/** Runs @load when @deps change (aborting the previous run). */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    const ctl = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    loadRef
      .current(ctl.signal)
      .then((data) => !ctl.signal.aborted && setState({ data, loading: false }))
      .catch((error) => !ctl.signal.aborted && setState((s) => ({ data: s.data, error, loading: false })));
    return () => ctl.abort();
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

/** Re-renders the caller when the language changes. */
export function useLanguage(): void {
  const [, force] = useState(0);
  useEffect(() => onLanguageChange(() => force((n) => n + 1)), []);
}

/** Calls @fn every @ms while mounted. */
export function useInterval(fn: () => void, ms: number): void {
  const ref = useRef(fn);
  ref.current = fn;
  useEffect(() => {
    const id = window.setInterval(() => ref.current(), ms);
    return () => window.clearInterval(id);
  }, [ms]);
}
