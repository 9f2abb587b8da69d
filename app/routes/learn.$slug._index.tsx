import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { OfferingCalendarLink, SessionCalendarLink } from '~/components/calendar-links';
import { ModuleList } from '~/components/learn-overview';
import { PhaseNotice } from '~/components/learn-status';
import { SessionTime } from '~/components/session-time';
import { formatInstant } from '~/modules/catalogue/datetime';
import { loadOverview, requireLearner } from '~/modules/learning/player.server';
import { listLiveSessions } from '~/modules/offerings/sessions.server';
import { pageTitle } from '~/modules/ui/meta';

export const meta: MetaFunction<typeof loader> = ({ data, error, matches }) =>
  data && !error ? [{ title: `${data.offering.title} – Kollega` }] : pageTitle(matches, 'errors.notFoundTitle');

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const learner = await requireLearner(context, request, params.slug);
  const { offering, viewer } = learner;
  const frame = { slug: offering.slug, title: offering.title, kind: offering.kind, startsAt: offering.startsAt };
  if (learner.state === 'waitlisted') return { state: 'waitlisted' as const, offering: frame, overview: null, timeZone: viewer.timeZone };
  const [overview, sessionRows] = await Promise.all([loadOverview(context.db, offering, learner.enrolment, new Date()), listLiveSessions(context.db, offering.id)]);
  // Each live session links to its page, where the join link appears in time.
  const sessions = sessionRows.map((s) => ({ id: s.id, title: s.title, startsAt: s.startsAt.toISOString(), organiserTimeZone: s.organiserTimeZone, cancelled: s.cancelledAt !== null }));
  return { state: 'learner' as const, offering: frame, overview, sessions, timeZone: viewer.timeZone };
}

export default function CourseOverview() {
  const { t, i18n } = useTranslation();
  const data = useLoaderData<typeof loader>();
  const { state, offering, overview, timeZone } = data;
  const sessions = ('sessions' in data ? data.sessions : undefined) ?? [];
  const locale = i18n.language;
  const offeringHref = `/offerings/${encodeURIComponent(offering.slug)}`;
  if (state === 'waitlisted' || !overview) {
    return (
      <section className="page narrow" aria-labelledby="course-heading">
        <h1 id="course-heading">{offering.title}</h1>
        <h2>{t('learn.overview.waitlistedTitle')}</h2>
        <p>{t('learn.overview.waitlisted')}</p>
        <p>
          <Link to={offeringHref}>{t('learn.overview.waitlistedLink')}</Link>
        </p>
      </section>
    );
  }
  const { progress } = overview;
  return (
    <section className="page" aria-labelledby="course-heading">
      <p style={{ margin: '0 0 0.5rem' }}>
        <Link to={offeringHref}>{t('learn.overview.aboutOffering')}</Link>
      </p>
      <h1 id="course-heading">{offering.title}</h1>
      <PhaseNotice phase={overview.phase} startsAt={offering.startsAt} deadline={overview.deadline} timeZone={timeZone} locale={locale} />
      {overview.completedAt ? (
        <div className="flash flash--success" role="note" suppressHydrationWarning>
          {t('learn.overview.completedOn', { date: formatInstant(overview.completedAt, 'date', timeZone, locale) })}
        </div>
      ) : null}
      {progress.total > 0 ? (
        <section aria-labelledby="progress-heading">
          <h2 id="progress-heading">{t('learn.overview.progressHeading')}</h2>
          <p id="progress-text">{t('learn.overview.progress', { done: progress.done, total: progress.total })}</p>
          <progress value={progress.done} max={progress.total} aria-labelledby="progress-heading" aria-describedby="progress-text" style={{ width: '100%' }} />
        </section>
      ) : null}
      {sessions.length > 0 ? (
        <section aria-labelledby="sessions-heading">
          <h2 id="sessions-heading">{t('offeringPage.sessions')}</h2>
          <ul>
            {sessions.map((s) => (
              <li key={s.id}>
                <Link to={`/sessions/${s.id}`}>{s.title}</Link>, <SessionTime startsAt={s.startsAt} organiserTimeZone={s.organiserTimeZone} timeZone={timeZone} locale={locale} />
                {s.cancelled ? (
                  <>
                    {' '}
                    <span className="badge badge--bad">{t('sessionPage.status.cancelled')}</span>
                  </>
                ) : null}{' '}
                · <SessionCalendarLink sessionId={s.id} title={s.title} />
              </li>
            ))}
          </ul>
          <OfferingCalendarLink slug={offering.slug} subscribe />
        </section>
      ) : null}
      <ModuleList slug={offering.slug} modules={overview.modules} tasks={overview.tasks} timeZone={timeZone} locale={locale} />
    </section>
  );
}
