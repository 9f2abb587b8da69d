import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { isRouteErrorResponse, Link, useLoaderData, useRouteError } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { OfferingCalendarLink, SessionCalendarLink } from '~/components/calendar-links';
import { EnrolmentPanel } from '~/components/enrolment-panel';
import { useNonce } from '~/components/nonce';
import { SessionTime } from '~/components/session-time';
import { getViewer } from '~/modules/auth/viewer.server';
import { catalogueHref } from '~/modules/catalogue/filters';
import { offeringPageFor } from '~/modules/catalogue/offering-page.server';
import { enrolmentPanelFor } from '~/modules/enrolment/panel.server';
import { resolvePreferences } from '~/modules/i18n/preferences.server';
import { translateKey } from '~/modules/i18n/translate';
import { notFound, policyEnvironment } from '~/modules/policy/guard.server';
import { pageTitle } from '~/modules/ui/meta';
import catalogueStyles from '~/styles/catalogue.css?url';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: catalogueStyles }];

export const meta: MetaFunction<typeof loader> = ({ data, error, matches }) =>
  data && !error
    ? [
        { title: `${data.offering.title} – Kollega` },
        { name: 'description', content: data.offering.summary },
        ...(data.offering.status === 'draft' ? [{ name: 'robots', content: 'noindex' }] : []),
      ]
    : pageTitle(matches, 'errors.notFoundTitle');

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const viewer = await getViewer(context, request);
  const { locale, timeZone } = await resolvePreferences(context, request, viewer);
  const now = new Date();
  const slug = params.slug ?? '';
  const [page, enrolmentPanel] = await Promise.all([
    offeringPageFor(context.db, slug, viewer, policyEnvironment(context), {
      now,
      timeZone,
      locale,
      appUrl: context.config.appUrl,
      organisationName: context.config.organisationName,
    }),
    // The viewer's own standing (issue 4); read beside the page, shown only when the page may be.
    slug.length > 0 && slug.length <= 200
      ? enrolmentPanelFor(context.db, slug, viewer, { now, timeZone, locale, confirmLeave: new URL(request.url).searchParams.get('confirm') === 'leave' })
      : null,
  ]);
  if (!page) notFound();
  return { ...page, enrolmentPanel };
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

function Facts({ data }: { data: Data }) {
  const { t } = useTranslation();
  const { offering } = data;
  return (
    <section aria-labelledby="facts-heading">
      <h2 id="facts-heading">{t('offeringPage.facts')}</h2>
      <dl className="offering-facts">
        <div>
          <dt>{t('offeringPage.dates')}</dt>
          <dd>
            {offering.dates && offering.startsAt ? <time dateTime={offering.startsAt}>{offering.dates}</time> : t('catalogue.card.datesTbc')}
            {offering.completionDeadline ? <div className="muted">{t('offeringPage.completionDeadline', { date: offering.completionDeadline })}</div> : null}
          </dd>
        </div>
        <div>
          <dt>{t('offeringPage.language')}</dt>
          <dd>{offering.languageName}</dd>
        </div>
        {offering.hours.count > 0 ? (
          <div>
            <dt>{t('offeringPage.effort')}</dt>
            <dd>{t('offeringPage.effortHours', { count: offering.hours.count, hours: offering.hours.hours })}</dd>
          </div>
        ) : null}
        <div>
          <dt>{t('offeringPage.eligibility')}</dt>
          <dd>
            {offering.eligibility === 'open' ? null : (
              <span className="badge badge--neutral">{t(`offerings.eligibility.${offering.eligibility}`)}</span>
            )}{' '}
            {t(`offeringPage.eligibilityExplain.${offering.eligibility}`)}
          </dd>
        </div>
        {offering.targetAudiences.length > 0 ? (
          <div>
            <dt>{t('offeringPage.audience')}</dt>
            <dd>{offering.targetAudiences.map((audience) => t(`offerings.audiences.${audience}`)).join(', ')}</dd>
          </div>
        ) : null}
        {offering.topics.length > 0 ? (
          <div>
            <dt>{t('offeringPage.topics')}</dt>
            <dd>
              <ul className="inline-list">
                {offering.topics.map((topic) => (
                  <li key={topic}>
                    <Link to={catalogueHref({ topic })}>{topic}</Link>
                  </li>
                ))}
              </ul>
            </dd>
          </div>
        ) : null}
      </dl>
      {offering.kind === 'mooc' || offering.kind === 'short_course' ? <p className="muted">{t(`offeringPage.pacing.${offering.pacingMode}`)}</p> : null}
    </section>
  );
}

function Enrolment({ data }: { data: Data }) {
  const { t } = useTranslation();
  const { enrolment, places } = data;
  const stateText = {
    open: t('offeringPage.enrolmentOpenNow'),
    'not-yet': t('offeringPage.enrolmentNotYet'),
    closed: t('offeringPage.enrolmentClosed'),
    unknown: t('offeringPage.enrolmentNoWindow'),
  }[enrolment.state];
  return (
    <section aria-labelledby="enrolment-heading" className="enrolment-slot" id="enrolment">
      <h2 id="enrolment-heading">{t('offeringPage.enrolment')}</h2>
      <p>
        <strong>{stateText}</strong>
      </p>
      {enrolment.opens && enrolment.closes ? <p>{t('offeringPage.enrolmentWindow', { opens: enrolment.opens, closes: enrolment.closes })}</p> : null}
      <p>
        {places.seats.state === 'unlimited'
          ? t('offeringPage.placesUnlimited')
          : places.seats.state === 'left'
            ? t('offeringPage.placesLeft', { count: places.seats.count, capacity: places.capacity ?? 0 })
            : places.seats.state === 'waitlist'
              ? t('offeringPage.placesWaitlist', { capacity: places.capacity ?? 0 })
              : t('offeringPage.placesFull', { capacity: places.capacity ?? 0 })}
      </p>
      {data.enrolmentPanel ? <EnrolmentPanel panel={data.enrolmentPanel} /> : null}
    </section>
  );
}

function Schedule({ data }: { data: Data }) {
  const { t } = useTranslation();
  const { modules, sessions, timeZone, locale, offering } = data;
  if (modules.length === 0 && sessions.length === 0) {
    return (
      <section aria-labelledby="schedule-heading">
        <h2 id="schedule-heading">{t('offeringPage.schedule')}</h2>
        <p>{t('offeringPage.noSchedule')}</p>
      </section>
    );
  }
  return (
    <section aria-labelledby="schedule-heading">
      <h2 id="schedule-heading">{t('offeringPage.schedule')}</h2>
      {sessions.length > 0 ? (
        <>
          <h3 className="schedule-subheading">{t('offeringPage.sessions')}</h3>
          <ol className="schedule">
            {sessions.map((session) => (
              <li key={session.id}>
                <p>
                  <strong>
                    <Link to={`/sessions/${session.id}`} aria-label={t('sessionPage.openNamed', { title: session.title })}>
                      {session.title}
                    </Link>
                  </strong>
                </p>
                <p>
                  <SessionTime startsAt={session.startsAt} organiserTimeZone={session.organiserTimeZone} timeZone={timeZone} locale={locale} />
                </p>
                <p className="muted">{t('offeringPage.sessionDuration', { minutes: session.durationMinutes })}</p>
                <p>
                  <SessionCalendarLink sessionId={session.id} title={session.title} />
                </p>
              </li>
            ))}
          </ol>
          <OfferingCalendarLink slug={offering.slug} />
        </>
      ) : null}
      {modules.length > 0 ? (
        <>
          <h3 className="schedule-subheading">{t('offeringPage.modules')}</h3>
          <ol className="schedule">
            {modules.map((module) => (
              <li key={module.id}>
                <p>
                  <strong>{module.title}</strong>
                </p>
                <p className="muted">
                  {module.release.type === 'at' ? (
                    <time dateTime={module.release.at}>{t('offeringPage.moduleReleaseAt', { date: module.release.text })}</time>
                  ) : module.release.type === 'days' ? (
                    t('offeringPage.moduleReleaseDays', { count: module.release.days })
                  ) : (
                    t('offeringPage.moduleOpenFromStart')
                  )}
                  {module.activities.length > 0 ? ` · ${t('offeringPage.activitiesCount', { count: module.activities.length })}` : null}
                </p>
                {module.summary ? <p>{module.summary}</p> : null}
              </li>
            ))}
          </ol>
        </>
      ) : null}
    </section>
  );
}

export default function OfferingPage() {
  const { t } = useTranslation();
  const nonce = useNonce();
  const data = useLoaderData<typeof loader>();
  const { offering, criteria } = data;
  return (
    <article className="offering">
      {/* Escaped by serializeJsonLd: a "</script>" in a title stays text. */}
      <script type="application/ld+json" nonce={nonce} suppressHydrationWarning dangerouslySetInnerHTML={{ __html: data.jsonLd }} />
      <p>
        <Link to="/catalogue">{t('offeringPage.backToCatalogue')}</Link>
      </p>
      {offering.status === 'draft' ? (
        <p className="notice" role="note">
          {t('offeringPage.draftNotice')}
        </p>
      ) : offering.status === 'archived' ? (
        <p className="notice" role="note">
          {t('offeringPage.archivedNotice')}
        </p>
      ) : null}
      <header>
        <p className="offering-page__kind">{t(`offerings.kinds.${offering.kind}`)}</p>
        <h1>{offering.title}</h1>
        {offering.summary ? <p className="lead">{offering.summary}</p> : null}
      </header>
      <div className="offering-page">
        <div className="offering-page__main">
          {offering.descriptionHtml ? (
            <section aria-labelledby="description-heading">
              <h2 id="description-heading">{t('offeringPage.description')}</h2>
              {/* renderMarkdown's output is sanitised: no script, no event handlers, no javascript: links. */}
              <div className="description" dangerouslySetInnerHTML={{ __html: offering.descriptionHtml }} />
            </section>
          ) : null}
          <Schedule data={data} />
          <section aria-labelledby="certificate-heading">
            <h2 id="certificate-heading">{t('offeringPage.certificate.heading')}</h2>
            <p>{translateKey(t, criteria.key, criteria.params)}</p>
            {criteria.key !== 'offeringPage.certificate.none' ? <p className="muted">{t('offeringPage.certificate.then')}</p> : null}
          </section>
        </div>
        <div className="offering-page__aside">
          <Enrolment data={data} />
          <Facts data={data} />
          <section aria-labelledby="trainers-heading">
            <h2 id="trainers-heading">{t('offeringPage.trainers')}</h2>
            {offering.trainers.length > 0 ? (
              <ul>
                {offering.trainers.map((name) => (
                  <li key={name}>{name}</li>
                ))}
              </ul>
            ) : (
              <p>{t('offeringPage.noTrainers')}</p>
            )}
          </section>
        </div>
      </div>
    </article>
  );
}

/**
 * Bad filters (400) and unknown or hidden offerings (404) answer here, inside
 * the page's own layout with its title, and point back to the catalogue.
 */
export function ErrorBoundary() {
  const { t } = useTranslation();
  const error = useRouteError();
  if (!isRouteErrorResponse(error) || error.status >= 500) throw error;
  const notFound = error.status === 404;
  const detail = typeof error.data === 'object' && error.data && 'message' in error.data ? String(error.data.message) : t('errors.notFound');
  return (
    <section className="page narrow">
      <h1>{t(notFound ? 'errors.notFoundTitle' : 'errors.badRequestTitle')}</h1>
      <p>{notFound ? t('errors.notFound') : detail}</p>
      <p>
        <Link to="/catalogue">{t('catalogue.browseAll')}</Link>
      </p>
    </section>
  );
}
