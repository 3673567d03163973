// SPDX-License-Identifier: LGPL-2.1-or-later
// The user's own account: who they are, and the password change.
import { useState } from 'preact/hooks';
import { ApiError } from '../api';
import { Field } from '../components/field';
import { Page } from '../components/page';
import { t } from '../i18n';
import { changePassword, useUser } from '../session';

const MIN_PASSWORD = 8;

export default function Account() {
  const user = useUser();
  const [old, setOld] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [done, setDone] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!old) errs.old = t('Enter the current password.');
    if (next.length < MIN_PASSWORD) errs.new = t('At least {n} characters.', { n: MIN_PASSWORD });
    if (next !== again) errs.again = t('The passwords do not match.');
    setErrors(errs);
    setDone(false);
    if (Object.keys(errs).length) return;
    try {
      await changePassword(old, next);
      setOld('');
      setNext('');
      setAgain('');
      setDone(true);
    } catch (err) {
      if (err instanceof ApiError && (err.status === 401 || err.status === 403))
        setErrors({ old: t('The current password is wrong.') });
      else if (err instanceof ApiError && err.field === 'new') setErrors({ new: err.message });
      else setErrors({ form: (err as Error).message });
    }
  };
  const roles: Record<string, string> = {
    admin: t('administrator'),
    operator: t('operator'),
    viewer: t('viewer'),
    subscriber: t('subscriber'),
  };
  return (
    <Page title={t('Account')}>
      <dl class="properties">
        <dt>{t('Login')}</dt>
        <dd>{user?.login}</dd>
        <dt>{t('Name')}</dt>
        <dd>{user?.display_name || '—'}</dd>
        <dt>{t('Role')}</dt>
        <dd>{user ? roles[user.role] : ''}</dd>
      </dl>
      <form class="form narrow" onSubmit={submit} noValidate aria-labelledby="password-title">
        <h2 id="password-title">{t('Change password')}</h2>
        <Field id="pw-old" label={t('Current password')} error={errors.old}>
          <input id="pw-old" type="password" autocomplete="current-password" value={old}
            onInput={(e) => setOld((e.target as HTMLInputElement).value)} />
        </Field>
        <Field id="pw-new" label={t('New password')} error={errors.new}>
          <input id="pw-new" type="password" autocomplete="new-password" value={next}
            onInput={(e) => setNext((e.target as HTMLInputElement).value)} />
        </Field>
        <Field id="pw-again" label={t('New password again')} error={errors.again}>
          <input id="pw-again" type="password" autocomplete="new-password" value={again}
            onInput={(e) => setAgain((e.target as HTMLInputElement).value)} />
        </Field>
        {errors.form && <p class="error" role="alert">{errors.form}</p>}
        {done && <p class="success" role="status">{t('The password is changed.')}</p>}
        <button type="submit" class="primary">{t('Change password')}</button>
      </form>
    </Page>
  );
}
