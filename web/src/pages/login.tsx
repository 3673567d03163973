// SPDX-License-Identifier: LGPL-2.1-or-later
// The login form (shown whenever the server says 401).
import { useState } from 'preact/hooks';
import { ApiError } from '../api';
import { Field } from '../components/field';
import { useLanguage } from '../hooks';
import { language, setLanguage, t } from '../i18n';
import { login } from '../session';

export default function Login() {
  useLanguage();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!name || !password) {
      setError(t('Enter the login and the password.'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await login(name, password);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setError(t('Wrong login or password.'));
      else if (err instanceof ApiError && err.status === 429) setError(t('Too many attempts. Try again later.'));
      else setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="login" id="main">
      <form class="login-form" onSubmit={submit} aria-labelledby="login-title" noValidate>
        <h1 id="login-title">{t('LERS: energy metering')}</h1>
        <Field id="login-name" label={t('Login')}>
          <input
            id="login-name"
            name="username"
            autocomplete="username"
            value={name}
            onInput={(e) => setName((e.target as HTMLInputElement).value)}
            required
          />
        </Field>
        <Field id="login-password" label={t('Password')}>
          <input
            id="login-password"
            name="password"
            type="password"
            autocomplete="current-password"
            value={password}
            onInput={(e) => setPassword((e.target as HTMLInputElement).value)}
            required
          />
        </Field>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {t('Sign in')}
        </button>
        <button
          type="button"
          class="link"
          lang={language() === 'ru' ? 'en' : 'ru'}
          onClick={() => setLanguage(language() === 'ru' ? 'en' : 'ru')}
        >
          {language() === 'ru' ? 'English' : 'Русский'}
        </button>
      </form>
    </main>
  );
}
