// SPDX-License-Identifier: LGPL-2.1-or-later
// The entry: learn who is logged in, then show the shell.
import { render } from 'preact';
import { onUnauthorized } from './api';
import { App } from './app';
import { language } from './i18n';
import { refreshSession, sessionLost } from './session';

document.documentElement.lang = language();
onUnauthorized(sessionLost);
if ('serviceWorker' in navigator && window.isSecureContext)
  navigator.serviceWorker.register('/sw.js').catch(() => undefined);
refreshSession().finally(() => render(<App />, document.getElementById('app')!));
