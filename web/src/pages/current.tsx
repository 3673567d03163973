// SPDX-License-Identifier: LGPL-2.1-or-later
// (being built: issue 15)
import { Page } from '../components/page';
import { t } from '../i18n';
import type { PageProps } from '../routes';

export default function P(_props: PageProps) {
  return <Page title={t('Current values')}>{null}</Page>;
}
