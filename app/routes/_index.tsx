import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { OfferingCardList } from '~/components/offering-card';
import { getViewer } from '~/modules/auth/viewer.server';
import { loadHomeHighlights } from '~/modules/catalogue/catalogue.server';
import { resolvePreferences } from '~/modules/i18n/preferences.server';
import catalogueStyles from '~/styles/catalogue.css?url';

export const meta: MetaFunction = () => [{ title: 'Kollega' }];

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: catalogueStyles }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const viewer = await getViewer(context, request);
  const { locale, timeZone } = await resolvePreferences(context, request, viewer);
  const highlights = await loadHomeHighlights(context.db, { now: new Date(), timeZone, locale });
  return { viewer: viewer && { fullName: viewer.fullName, staffStatus: viewer.staffStatus }, ...highlights };
}

export default function Home() {
  const { t } = useTranslation();
  const { viewer, openNow, startingSoon } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="hero">
        {viewer ? (
          <>
            <h1>{t('home.welcomeBack', { name: viewer.fullName })}</h1>
            <p className="lead">{t('home.yourStatus', { status: t(`validation.status.${viewer.staffStatus}`) })}</p>
            {viewer.staffStatus === 'none' || viewer.staffStatus === 'rejected' ? (
              <p>
                <Link to="/profile/validation" className="button">
                  {t('home.askValidation')}
                </Link>
              </p>
            ) : null}
          </>
        ) : (
          <>
            <h1>{t('home.title')}</h1>
            <p className="lead">{t('home.intro')}</p>
            <p className="actions">
              <Link to="/register" className="button">
                {t('home.getStarted')}
              </Link>
              <Link to="/login">{t('home.haveAccount')}</Link>
            </p>
          </>
        )}
      </div>

      <section aria-labelledby="open-now-heading" className="home-section">
        <h2 id="open-now-heading">{t('catalogue.home.openNow')}</h2>
        {openNow.length > 0 ? (
          <>
            <OfferingCardList cards={openNow} />
            <p>
              <Link to="/catalogue?open=1">{t('catalogue.home.seeAllOpen')}</Link>
            </p>
          </>
        ) : (
          <p>{t('catalogue.home.noneOpen')}</p>
        )}
      </section>

      <section aria-labelledby="starting-soon-heading" className="home-section">
        <h2 id="starting-soon-heading">{t('catalogue.home.startingSoon')}</h2>
        <p className="muted">{t('catalogue.home.startingSoonHint')}</p>
        {startingSoon.length > 0 ? <OfferingCardList cards={startingSoon} /> : <p>{t('catalogue.home.noneSoon')}</p>}
      </section>

      <p className="home-section">
        <Link to="/catalogue" className="button button-secondary">
          {t('catalogue.home.browseAll')}
        </Link>
      </p>
    </>
  );
}
