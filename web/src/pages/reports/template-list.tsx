// SPDX-License-Identifier: LGPL-2.1-or-later
// The templates the editor opens (#/report-templates): system ones (read
// only, copyable) and the users' own; "New template" stores a small one.
import { useState } from 'preact/hooks';
import { ErrorMessage, Loading, Page } from '../../components/page';
import { useLoad } from '../../hooks';
import { language, t } from '../../i18n';
import { href, navigate } from '../../router';
import { createTemplate, listTemplates } from './api';
import { ReportErrorView } from './common';

/** A template a user starts from: one table of the archive. */
export function blankTemplate(): string {
  const id = 'my-report-' + Date.now().toString(36);
  return `<?xml version="1.0" encoding="UTF-8"?>
<report version="1" id="${id}" source="point">
  <title ru="Новый отчёт" en="New report"/>
  <parameters kinds="day hour" default-kind="day" period="month"/>
  <page size="A4" orientation="portrait" margin="15mm"/>
  <report-header>
    <text>{Point.Title}</text>
  </report-header>
  <table rows="archive">
    <column title="Date" value="DataDate" format="dd.MM.yyyy HH:mm"/>
    <column title="Q" value="Q" format="0.000" total="sum"/>
  </table>
  <page-footer>
    <text align="right">{PageNumber} / {PageCount}</text>
  </page-footer>
</report>
`;
}

export function TemplateList() {
  const list = useLoad((s) => listTemplates(s), [language()]);
  const [error, setError] = useState<Error | null>(null);
  const create = async () => {
    setError(null);
    try {
      const r = await createTemplate(blankTemplate());
      navigate(`/report-templates/${encodeURIComponent(String(r.id))}`);
    } catch (e) {
      setError(e as Error);
    }
  };
  return (
    <Page
      title={t('Report templates')}
      actions={
        <button type="button" class="primary" onClick={create}>
          {t('New template')}
        </button>
      }
    >
      <p>
        <a href={href('/reports')}>{t('Back to the reports')}</a>
      </p>
      {error && <ReportErrorView error={error} />}
      {list.error && <ErrorMessage error={list.error} />}
      {!list.data && !list.error && <Loading />}
      {list.data && (
        <div class="table-wrap">
          <table class="report-templates-table">
            <thead>
              <tr>
                <th scope="col">{t('Title')}</th>
                <th scope="col">{t('Kind')}</th>
                <th scope="col">{t('Version')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((x) => (
                <tr key={String(x.id)}>
                  <th scope="row">
                    <a href={href(`/report-templates/${encodeURIComponent(String(x.id))}`)}>{x.title}</a>
                  </th>
                  <td>
                    <span class={'template-mark ' + (x.system ? 'system' : 'own')}>{x.system ? t('system template') : t('own template')}</span>
                  </td>
                  <td>{x.version}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  );
}
