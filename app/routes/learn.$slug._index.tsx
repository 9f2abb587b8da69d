import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { ModuleList } from '~/components/learn-overview';
import { PhaseNotice } from '~/components/learn-status';
import { formatInstant } from '~/modules/catalogue/datetime';
import { loadOverview, requireLearner } from '~/modules/learning/player.server';
import { pageTitle } from '~/modules/ui/meta';

export const meta: MetaFunction<typeof loader> = ({ data, error, matches }) =>
  data && !error ? [{ title: `${data.offering.title} – Kollega` }] : pageTitle(matches, 'errors.notFoundTitle');

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const learner = await requireLearner(context, request, params.slug);
  const { offering, viewer } = learner;
  const frame = { slug: offering.slug, title: offering.title, kind: offering.kind, startsAt: offering.startsAt };
  if (learner.state === 'waitlisted') return { state: 'waitlisted' as const, offering: frame, overview: null, timeZone: viewer.timeZone };
  const overview = await loadOverview(context.db, offering, learner.enrolment, new Date());
  return { state: 'learner' as const, offering: frame, overview, timeZone: viewer.timeZone };
}

export default function CourseOverview() {
  const { t, i18n } = useTranslation();
  const { state, offering, overview, timeZone } = useLoaderData<typeof loader>();
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
      <ModuleList slug={offering.slug} modules={overview.modules} tasks={overview.tasks} timeZone={timeZone} locale={locale} />
    </section>
  );
}
