// SPDX-License-Identifier: LGPL-2.1-or-later
// One mnemonic diagram (#/diagrams/:id): the drawing scaled to the page's
// width, its labels showing their points' live values, coloured by the
// points' states. #/diagrams/new is the editor's.
import { useMemo } from 'preact/hooks';
import { get } from '../api';
import { DiagramCanvas, ElementShape, useLive, type Diagram } from '../components/diagram-draw';
import { ErrorMessage, Loading, Page } from '../components/page';
import { formatDateTime } from '../format';
import { language, t } from '../i18n';
import { useLanguage, useLoad } from '../hooks';
import type { PageProps } from '../routes';
import { href } from '../router';
import { canOperate, useUser } from '../session';

export default function DiagramPage(props: PageProps) {
  return <Viewer {...props} />;
}

function Viewer(props: PageProps) {
  useLanguage();
  const user = useUser();
  const id = props.params.id;
  const loaded = useLoad((signal) => get<Diagram>(`/diagrams/${encodeURIComponent(id)}`, signal), [id]);
  const d = loaded.data;
  const points = useMemo(
    () => (d ? d.elements.filter((e) => e.kind === 'label' && e.point_id !== undefined).map((e) => e.point_id!) : []),
    [d],
  );
  const live = useLive(points);
  if (!d)
    return (
      <Page title={t('Mnemonic diagram')}>{loaded.error ? <ErrorMessage error={loaded.error} /> : <Loading />}</Page>
    );
  const lang = language();
  return (
    <Page
      title={d.title}
      actions={
        <>
          <a class="button" href={href('/diagrams')}>
            {t('All diagrams')}
          </a>
          {canOperate(user) && (
            <a class="button" href={href(`/diagrams/${d.id}/edit`)}>
              {t('Edit')}
            </a>
          )}
        </>
      }
    >
      {loaded.error && <ErrorMessage error={loaded.error} />}
      <DiagramCanvas width={d.width} height={d.height} svg={d.svg} label={d.title}>
        {d.elements.map((el) => (
          <ElementShape key={el.id} el={el} live={live} lang={lang} links />
        ))}
      </DiagramCanvas>
      <p class="diagram-meta">
        {t('Updated {time} by {who}', { time: formatDateTime(d.updated_at), who: d.updated_by ?? '—' })}
        {' · '}
        <span class="diagram-legend">
          <span class="state state-normal">{t('normal')}</span>
          <span class="state state-warning">{t('warning')}</span>
          <span class="state state-critical">{t('critical')}</span>
          <span class="state">{t('unknown')}</span>
          <span class="d-stale-key">{t('grey: stale')}</span>
        </span>
      </p>
    </Page>
  );
}
