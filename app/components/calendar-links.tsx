import { Link } from '@remix-run/react';
import { useTranslation } from 'react-i18next';

/**
 * Links to the .ics downloads. Plain anchors: the files come from resource
 * routes, which the browser must fetch itself rather than the client router.
 */
export function SessionCalendarLink({ sessionId, title }: { sessionId: string; title: string }) {
  const { t } = useTranslation();
  return (
    <a href={`/sessions/${sessionId}.ics`} download aria-label={t('calendar.links.sessionNamed', { title })}>
      {t('calendar.links.session')}
    </a>
  );
}

/** The whole offering's sessions in one file; for participants also the way to their personal subscription. */
export function OfferingCalendarLink({ slug, subscribe = false }: { slug: string; subscribe?: boolean }) {
  const { t } = useTranslation();
  return (
    <p>
      <a href={`/offerings/${encodeURIComponent(slug)}/calendar.ics`} download aria-describedby="offering-calendar-hint">
        {t('calendar.links.offering')}
      </a>
      <br />
      <span className="muted" id="offering-calendar-hint">
        {t('calendar.links.offeringHint')}
      </span>
      {subscribe ? (
        <>
          <br />
          <Link to="/profile#calendar">{t('calendar.links.subscribe')}</Link>
        </>
      ) : null}
    </p>
  );
}
