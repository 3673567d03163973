// SPDX-License-Identifier: LGPL-2.1-or-later
// The shell: login when nobody is logged in; else the menu, the page of the
// current route (its module loaded on demand) and the status bar.
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ErrorMessage, Loading, Page } from './components/page';
import { StatusBar } from './components/status-bar';
import { useLanguage } from './hooks';
import { language, setLanguage, t } from './i18n';
import Login from './pages/login';
import { href, match, navigate, useLocation } from './router';
import type { PageProps, Route } from './routes';
import { routes } from './routes';
import { sections } from './sections';
import { logout, useUser } from './session';

const loaded = new Map<Route, ComponentType<PageProps>>();

function RouteView(props: { route: Route; params: Record<string, string>; query: URLSearchParams }) {
  const [component, setComponent] = useState<ComponentType<PageProps> | undefined>(() => loaded.get(props.route));
  const [error, setError] = useState<Error | null>(null);
  useEffect(() => {
    let alive = true;
    setError(null);
    if (loaded.has(props.route)) {
      setComponent(() => loaded.get(props.route));
      return;
    }
    setComponent(undefined);
    props.route
      .load()
      .then((m) => {
        loaded.set(props.route, m.default);
        if (alive) setComponent(() => m.default);
      })
      .catch((e) => alive && setError(e));
    return () => {
      alive = false;
    };
  }, [props.route]);
  if (error) return <ErrorMessage error={error} />;
  if (!component) return <Loading />;
  const C = component;
  return <C params={props.params} query={props.query} />;
}

function NotFound() {
  return (
    <Page title={t('Page not found')}>
      <p>
        <a href={href('/nodes')}>{t('Go to the metering objects')}</a>
      </p>
    </Page>
  );
}

export function App() {
  useLanguage();
  const user = useUser();
  const loc = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => setMenuOpen(false), [loc.path]);

  if (!user) return <Login />;
  if (loc.path === '/' || loc.path === '') {
    navigate('/nodes', true);
    return null;
  }
  let route: Route | undefined;
  let params: Record<string, string> = {};
  for (const r of routes) {
    const m = match(r.pattern, loc.path);
    if (m) {
      route = r;
      params = m;
      break;
    }
  }
  const allowed = route && (!route.allowed || route.allowed(user));
  const menu = sections().filter((s) => !s.allowed || s.allowed(user));
  return (
    <div class="shell">
      <a class="skip-link" href="#main">
        {t('Skip to content')}
      </a>
      <header class="top-bar">
        <a class="brand" href={href('/nodes')}>
          LERS
        </a>
        <button
          class="menu-button"
          type="button"
          aria-expanded={menuOpen}
          aria-controls="main-menu"
          onClick={() => setMenuOpen(!menuOpen)}
        >
          {t('Menu')}
        </button>
        <nav id="main-menu" class={'main-menu' + (menuOpen ? ' open' : '')} aria-label={t('Main menu')}>
          <ul>
            {menu.map((s) => (
              <li key={s.id}>
                <a href={href(s.path)} aria-current={route?.section === s.id ? 'page' : undefined}>
                  {s.label}
                </a>
              </li>
            ))}
            <li class="menu-account">
              <a href={href('/account')} aria-current={route?.section === 'account' ? 'page' : undefined}>
                {t('Account: {name}', { name: user.display_name || user.login })}
              </a>
            </li>
          </ul>
        </nav>
        <div class="user-menu">
          <button
            type="button"
            class="language-switch"
            lang={language() === 'ru' ? 'en' : 'ru'}
            onClick={() => setLanguage(language() === 'ru' ? 'en' : 'ru')}
          >
            {language() === 'ru' ? 'English' : 'Русский'}
          </button>
          <a href={href('/account')} class="user-name" title={t('Account and password')}>
            {user.display_name || user.login}
          </a>
          <button type="button" onClick={() => logout().then(() => navigate('/nodes', true))}>
            {t('Log out')}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {route && allowed ? (
          <RouteView key={loc.path} route={route} params={params} query={loc.query} />
        ) : route ? (
          <Page title={t('No access')}>
            <ErrorMessage error={new Error(t('You have no rights for this.'))} />
          </Page>
        ) : (
          <NotFound />
        )}
      </main>
      <StatusBar />
    </div>
  );
}
